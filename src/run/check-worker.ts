/**
 * The independent checker in a worker thread, so that a self-check under a
 * time limit can be stopped (self-check.ts). Started ahead of need and kept:
 * it posts 'ready' once the checker is loaded, then answers each message
 * { kind, text, name } with the checker's outcome: checkCertificate for
 * training certificates, checkRegionCertificate for region certificates.
 * Imports only the checker.
 */
import { parentPort } from 'node:worker_threads';
import { checkCertificate } from '../check/index.js';
import { checkRegionCertificate } from '../check/region.js';

parentPort!.on('message', ({ kind, text, name }: { kind: 'training' | 'region'; text: string; name: string }) =>
  parentPort!.postMessage(kind === 'region' ? checkRegionCertificate(text, name) : checkCertificate(text, name)),
);
parentPort!.postMessage('ready');
