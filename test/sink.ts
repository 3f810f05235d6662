// A local stand-in for the brand's push proxy: records every POST, checks the signature, counts
// each Idempotency-Key once as "accepted" (as a well-behaved idempotent proxy would), and answers
// as scripted per consumer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signature } from '../activities/push/webhook.js';

export interface SinkRequest {
  body: any;
  idempotencyKey: string | undefined;
  signatureValid: boolean | undefined;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** What the sink answers the n-th (0-based) POST for a consumer: a status, optionally after a delay. */
export type Script = (consumerId: string, attempt: number) => { status: number; delayMs?: number } | number;

export interface Sink {
  url: string;
  requests: SinkRequest[];
  /** messageId → number of 2xx answers given for it. */
  accepted: Map<string, number>;
  /**
   * messageId → number of 2xx answers that reached a caller still waiting for them. A 2xx written
   * after the caller gave up (its time-out) is in `accepted` but not here: c2m never saw it.
   */
  acked: Map<string, number>;
  script: Script;
  reset(): void;
  close(): Promise<void>;
}

export async function startSink(opts: { secret?: string; script?: Script } = {}): Promise<Sink> {
  const attempts = new Map<string, number>();
  const sink: Sink = {
    url: '',
    requests: [],
    accepted: new Map(),
    acked: new Map(),
    script: opts.script ?? (() => 200),
    reset() {
      sink.requests.length = 0;
      sink.accepted.clear();
      sink.acked.clear();
      attempts.clear();
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections(); // the worker's keep-alive sockets would hold close() for a minute
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw);
      const key = req.headers['idempotency-key'] as string | undefined;
      const given = req.headers['x-c2m-signature'] as string | undefined;
      sink.requests.push({
        body,
        idempotencyKey: key,
        signatureValid: opts.secret ? given === signature(opts.secret, raw) : undefined,
        headers: req.headers,
        at: Date.now(),
      });
      const n = attempts.get(body.consumerId) ?? 0;
      attempts.set(body.consumerId, n + 1);
      const answer = sink.script(body.consumerId, n);
      const { status, delayMs } = typeof answer === 'number' ? { status: answer, delayMs: 0 } : answer;
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      // An idempotent proxy: a repeated key is acknowledged but not delivered twice.
      if (status >= 200 && status < 300 && key) {
        sink.accepted.set(key, (sink.accepted.get(key) ?? 0) + 1);
        if (!res.destroyed && !req.socket.destroyed) sink.acked.set(key, (sink.acked.get(key) ?? 0) + 1);
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`;
  return sink;
}
