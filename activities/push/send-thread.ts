// The body of a send thread (see threads.ts): provider calls off the worker's main thread. Requests
// and answers travel in batches, one message per event-loop turn each way.
import { parentPort } from 'node:worker_threads';
import { providerFor } from './index.js';
import type { PushProvider } from './types.js';
import type { FromThread, Outcome, ToThread } from './thread-protocol.js';

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

port.on('message', (m: ToThread) => {
  if (m.t === 'provider') {
    if (providers.size >= MAX_PROVIDERS) providers.delete(providers.keys().next().value!);
    providers.set(m.key, providerFor(m.config, m.retry));
    return;
  }
  if (m.t === 'abort') {
    for (const id of m.ids) inFlight.get(id)?.abort();
    return;
  }
  for (const { id, key, payload } of m.batch) {
    const provider = providers.get(key);
    if (!provider) {
      answer({ id, error: { name: 'Error', message: `send thread: no provider ${key}` } });
      continue;
    }
    const abort = new AbortController();
    inFlight.set(id, abort);
    provider.send(payload, abort.signal).then(
      (result) => answer({ id, result }),
      (err: unknown) => answer({ id, error: { name: (err as Error)?.name ?? 'Error', message: String((err as Error)?.message ?? err) } }),
    );
  }
});
