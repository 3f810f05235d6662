import http from 'node:http';
import https from 'node:https';

/**
 * One POST over keep-alive connections. Not fetch: at a campaign's rate fetch costs about 0.4 ms of
 * CPU per request (web streams, signals) against under 0.1 ms here, and the dispatch worker is
 * CPU-bound on exactly that (see BENCHMARKS.md).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

export interface PostAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
}

export interface PostOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** Resolves once the whole answer is read (the connection is then free for reuse); rejects with a TimeoutError after `timeoutMs`. */
export function post(url: URL, headers: Record<string, string>, body: string, o: PostOptions): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
    const request = url.protocol === 'https:' ? https.request : http.request;
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      f();
    };
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.once('end', () => settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers })));
      res.once('error', (err) => settle(() => reject(err)));
      res.once('close', () => settle(() => reject(new Error('connection closed before the answer ended'))));
    });
    const timer = setTimeout(() => req.destroy(new DOMException(`timed out after ${o.timeoutMs} ms`, 'TimeoutError')), o.timeoutMs);
    const onAbort = () => req.destroy(o.signal?.reason instanceof Error ? o.signal.reason : new DOMException('aborted', 'AbortError'));
    req.once('error', (err) => settle(() => reject(err)));
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}
