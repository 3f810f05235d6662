import { Worker } from 'node:worker_threads';
import type { PushConfig } from '../../db/push-config.js';
import { providerFor } from './index.js';
import type { FromThread, Outcome, SendRequest, ToThread } from './thread-protocol.js';
import { DEFAULT_RETRY, type PushProvider, type PushResult, type RetryPolicy } from './types.js';

/**
 * Webhook calls on their own threads. A dispatching worker is CPU-bound on one thread, and most of
 * that CPU is the HTTP client (about 110 µs per push against 20 µs for everything else): here the
 * main thread keeps the database, the claims and Temporal, and the POSTs run beside it. The inbox
 * makes no call and stays inline.
 */
export interface SendThreads {
  providerFor(config: PushConfig, retry?: RetryPolicy): PushProvider;
  /** Stops the threads; sends still in flight reject. */
  close(): Promise<void>;
}

interface Pending {
  resolve(r: PushResult): void;
  reject(e: unknown): void;
}

const entry = new URL(`./send-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Under tsx the thread registers tsx before loading its TypeScript entry; compiled, it loads the file itself. */
function spawn(): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  return new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}

class SendThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private queue: SendRequest[] = [];
  private flushing = false;

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = spawn();
    w.unref(); // only sends in flight hold the process open
    w.on('message', (m: FromThread) => this.settle(m.batch));
    // A dead thread fails its sends (the activity retries; claimed messages are resent under the same key) and is replaced on next use.
    const fail = (err: unknown) => {
      if (this.worker === w) this.failAll(err);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`send thread exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  private failAll(err: unknown): void {
    this.worker = undefined;
    this.queue = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
  }

  get load(): number {
    return this.pending.size;
  }

  send(request: SendRequest): Promise<PushResult> {
    const w = this.start();
    if (this.pending.size === 0) w.ref();
    const answer = new Promise<PushResult>((resolve, reject) => this.pending.set(request.id, { resolve, reject }));
    this.queue.push(request);
    if (!this.flushing) {
      this.flushing = true;
      // Every send of this event-loop turn goes in one message.
      setImmediate(() => {
        this.flushing = false;
        const batch = this.queue;
        this.queue = [];
        this.worker?.postMessage({ t: 'send', batch } satisfies ToThread);
      });
    }
    return answer;
  }

  abort(id: number, reason: unknown): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.forget(id);
    // Not yet handed to the thread: then it is never sent at all.
    const queued = this.queue.findIndex((r) => r.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
    else this.worker?.postMessage({ t: 'abort', ids: [id] } satisfies ToThread);
    p.reject(reason);
  }

  private forget(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  private settle(batch: Outcome[]): void {
    for (const o of batch) {
      const p = this.pending.get(o.id);
      if (!p) continue; // aborted meanwhile
      this.forget(o.id);
      if ('result' in o) p.resolve(o.result);
      else p.reject(Object.assign(new Error(o.error.message), { name: o.error.name }));
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.failAll(new Error('send threads closed'));
    if (w) await w.terminate();
  }
}

export function createSendThreads(count: number): SendThreads {
  if (!Number.isInteger(count) || count < 1) throw new Error(`send threads: ${count} is not a positive integer`);
  const threads = Array.from({ length: count }, () => new SendThread());
  let nextId = 1;
  return {
    providerFor(config, retry = DEFAULT_RETRY) {
      if (config.provider !== 'webhook') return providerFor(config, retry);
      const which = { key: JSON.stringify([config, retry]), config, retry };
      return {
        messagesPerSecond: config.messagesPerSecond,
        send(payload, signal) {
          if (signal?.aborted) return Promise.reject(signal.reason);
          const id = nextId++;
          // The least busy thread: a slow proxy on one config does not hold up the others.
          const thread = threads.reduce((a, b) => (b.load < a.load ? b : a));
          const answer = thread.send({ id, provider: which, payload, abortable: signal !== undefined });
          if (!signal) return answer;
          const onAbort = () => thread.abort(id, signal.reason);
          signal.addEventListener('abort', onAbort, { once: true });
          return answer.finally(() => signal.removeEventListener('abort', onAbort));
        },
      };
    },
    async close() {
      await Promise.all(threads.map((t) => t.close()));
    },
  };
}
