/**
 * The independent checker in a worker thread, so that a self-check under a
 * time limit can be stopped (self-check.ts). Started ahead of need and kept:
 * it posts 'ready' once the checker is loaded, then answers each message
 * { kind, text, name } with the checker's outcome for a certificate of
 * that kind (training or region).
 * Imports only the checker.
 */
import { parentPort } from 'node:worker_threads';
import { checkCertificate } from '../check/index.js';

parentPort!.on('message', ({ kind, text, name }: { kind: 'training' | 'region'; text: string; name: string }) =>
  parentPort!.postMessage(checkCertificate(text, name, { kind })),
);
parentPort!.postMessage('ready');
