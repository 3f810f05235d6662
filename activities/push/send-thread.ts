// The body of a send thread (see threads.ts): provider calls off the worker's main thread. Requests
// and answers travel in batches, one message per event-loop turn each way.
import { parentPort } from 'node:worker_threads';
import { providerFor } from './index.js';
import type { PushProvider } from './types.js';
import type { FromThread, Outcome, SendRequest, ToThread } from './thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('send-thread.ts runs as a worker thread');

// A provider per push config: a config changed by the brand arrives under a new key.
const providers = new Map<string, PushProvider>();
const MAX_PROVIDERS = 256;
const inFlight = new Map<number, AbortController>();

let answers: Outcome[] = [];
let answering = false;
const answer = (o: Outcome) => {
  inFlight.delete(o.id);
  answers.push(o);
  if (answering) return;
  answering = true;
  setImmediate(() => {
    answering = false;
    const batch = answers;
    answers = [];
    port.postMessage({ t: 'outcomes', batch } satisfies FromThread);
  });
};

function provider({ key, config, retry }: SendRequest['provider']): PushProvider {
  let p = providers.get(key);
  if (p) providers.delete(key); // re-inserted below: the map's order is the order of last use
  else {
    p = providerFor(config, retry);
    if (providers.size >= MAX_PROVIDERS) providers.delete(providers.keys().next().value!);
  }
  providers.set(key, p);
  return p;
}

port.on('message', (m: ToThread) => {
  if (m.t === 'abort') {
    for (const id of m.ids) inFlight.get(id)?.abort();
    return;
  }
  for (const { id, provider: which, payload, abortable } of m.batch) {
    let signal: AbortSignal | undefined;
    if (abortable) {
      const abort = new AbortController();
      inFlight.set(id, abort);
      signal = abort.signal;
    }
    provider(which).send(payload, signal).then(
      (result) => answer({ id, result }),
      (err: unknown) => answer({ id, error: { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) } }),
    );
  }
});
