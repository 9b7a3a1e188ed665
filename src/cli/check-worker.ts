/**
 * The independent checker in a worker thread, so that a self-check under a
 * time limit can be stopped (self-check.ts). Started ahead of need and kept:
 * it posts 'ready' once the checker is loaded, then answers each message
 * { text, name } with the CheckOutcome. Imports only the checker.
 */
import { parentPort } from 'node:worker_threads';
import { checkCertificate } from '../check/index.js';

parentPort!.on('message', ({ text, name }: { text: string; name: string }) => parentPort!.postMessage(checkCertificate(text, name)));
parentPort!.postMessage('ready');
