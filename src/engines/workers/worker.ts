/**
 * Worker threads for work that cannot check a deadline itself (a library's
 * solver loop, the independent checker): the work runs in a worker, and the
 * worker is terminated at the deadline. One helper for every such use
 * (milp-worker.ts, src/run/check-worker.ts, exact-worker.ts).
 *
 * From TypeScript sources (tests, tsx) a worker registers tsx first; from
 * dist/ it is plain JavaScript.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type TransferListItem, Worker } from 'node:worker_threads';
import { type Alarm, type Deadline, Timeout, alarmAt } from '../../core/deadline.js';

/**
 * Starts the worker module `stem` (a path without extension, relative to the
 * caller's module, e.g. './milp-worker') with `workerData`.
 * callerUrl: the caller's import.meta.url.
 */
export function startWorker(callerUrl: string, stem: string, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  if (callerUrl.endsWith('.ts')) {
    const href = new URL(`${stem}.ts`, callerUrl).href;
    return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(href)}); });`, {
      eval: true,
      workerData,
      transferList,
    });
  }
  return new Worker(new URL(`${stem}.js`, callerUrl), { workerData, transferList });
}

/** What one answer needs from a worker thread or a child process: its three events and a way to stop it. */
interface OneShot {
  once(event: 'message', f: (m: unknown) => void): unknown;
  once(event: 'error', f: (e: Error) => void): unknown;
  once(event: 'exit', f: (code: number | null, signal?: NodeJS.Signals | null) => void): unknown;
}

/**
 * The first of: the answer (resolve), a failure or an exit without an
 * answer (reject), the deadline (reject with Timeout). `stop` ends the
 * worker or process whichever comes first; `what` names it in errors.
 */
function firstAnswer<T>(w: OneShot, stop: () => void, what: string, deadline: Deadline): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let alarm: Alarm | undefined;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      alarm?.cancel();
      stop();
      f();
    };
    w.once('message', (m) => finish(() => resolve(m as T)));
    w.once('error', (e) => finish(() => reject(e)));
    w.once('exit', (code, signal) => finish(() => reject(new Error(`${what} exited (${signal ?? `code ${code}`}) without an answer`))));
    if (deadline.at !== undefined) alarm = alarmAt(deadline.at, () => finish(() => reject(new Timeout())));
  });
}

/**
 * Runs a worker that posts one reply, and resolves with that reply. Rejects
 * with Timeout when `deadline` passes first (the worker is terminated at
 * once), and with an Error if the worker fails or exits without replying.
 */
export function runWorker<T>(callerUrl: string, stem: string, workerData: unknown, deadline: Deadline): Promise<T> {
  if (deadline.expired()) return Promise.reject(new Timeout());
  const worker = startWorker(callerUrl, stem, workerData);
  return firstAnswer<T>(worker, () => void worker.terminate(), `worker ${stem}`, deadline);
}

/**
 * Like runWorker, but in a child process (child_process.fork) that is killed
 * with SIGKILL at the deadline, for a library whose loops a worker thread's
 * termination cannot interrupt promptly: javascript-lp-solver inside a
 * worker thread took up to 8 s to stop after terminate() on 2,000 points
 * (scripts/overrun.ts), and the process could not exit before it stopped.
 * The module `stem` receives `data` as its first IPC message and answers
 * with one message (see milp-worker.ts). From TypeScript sources the child
 * runs with tsx (`--import tsx`).
 */
export function runProcess<T>(callerUrl: string, stem: string, data: unknown, deadline: Deadline): Promise<T> {
  if (deadline.expired()) return Promise.reject(new Timeout());
  const ts = callerUrl.endsWith('.ts');
  const child = fork(fileURLToPath(new URL(`${stem}.${ts ? 'ts' : 'js'}`, callerUrl)), [], {
    execArgv: ts ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const answer = firstAnswer<T>(child, () => child.kill('SIGKILL'), `process ${stem}`, deadline);
  child.send(data as object);
  return answer;
}

/**
 * One long-lived worker thread that answers one question at a time (the z3
 * worker, the checker's worker): started on first use (or by warm()), it
 * posts one message when it is ready; then each question posted gets one
 * reply. Unref'd while idle, so it never keeps the process alive.
 *
 * ask() rejects with Timeout at the deadline. A worker still starting then is
 * left to finish (it holds no question); one busy with the question is
 * terminated, and a fresh one starts loading at once, so the next question
 * finds it ready.
 */
export class KeptWorker<Question, Answer> {
  private worker: Promise<Worker> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly callerUrl: string,
    private readonly stem: string,
  ) {}

  /** Starts the worker if none is running or starting. */
  warm(): void {
    this.worker ??= this.start();
  }

  /** Asks one question; questions are answered one after another. */
  ask(question: Question, deadline: Deadline): Promise<Answer> {
    const run = (): Promise<Answer> => this.askNow(question, deadline);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Terminates the worker; the next question starts another. */
  async shutdown(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await (await w.catch(() => undefined))?.terminate();
  }

  private start(): Promise<Worker> {
    const p = new Promise<Worker>((resolve, reject) => {
      const w = startWorker(this.callerUrl, this.stem, undefined);
      w.unref();
      w.once('message', () => resolve(w));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`worker ${this.stem} exited (code ${code})`)));
    });
    p.catch(() => {
      if (this.worker === p) this.worker = undefined;
    });
    return p;
  }

  private async askNow(question: Question, deadline: Deadline): Promise<Answer> {
    deadline.check();
    const starting = (this.worker ??= this.start());
    let alarm: Alarm | undefined;
    const late = new Promise<'late'>((resolve) => {
      if (deadline.at !== undefined) alarm = alarmAt(deadline.at, () => resolve('late'));
    });
    const retire = (): void => {
      if (this.worker === starting) this.worker = this.start();
      void starting.then(
        (w) => w.terminate(),
        () => undefined,
      );
    };
    try {
      const w = await Promise.race([starting, late]);
      if (w === 'late') throw new Timeout();
      w.ref();
      const reply = new Promise<Answer>((resolve, reject) => {
        const onExit = (code: number): void => reject(new Error(`worker ${this.stem} exited (code ${code})`));
        w.once('exit', onExit);
        w.once('message', (m: Answer) => {
          w.off('exit', onExit);
          resolve(m);
        });
        w.postMessage(question);
      });
      let answer: Answer | 'late';
      try {
        answer = await Promise.race([reply, late]);
      } catch (e) {
        retire();
        throw e;
      } finally {
        w.unref();
      }
      if (answer === 'late') {
        retire();
        throw new Timeout();
      }
      return answer;
    } finally {
      alarm?.cancel();
    }
  }
}
