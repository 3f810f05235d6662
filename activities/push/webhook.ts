import { createHmac } from 'node:crypto';
import { post } from './http-post.js';
import type { PushPayload, PushProvider, PushResult, RetryPolicy } from './types.js';

export interface WebhookOptions {
  url: string;
  headers?: Record<string, string> | undefined;
  signingSecret?: string | undefined;
  timeoutMs?: number | undefined;
  messagesPerSecond?: number | undefined;
  retry: RetryPolicy;
}

/** 401/403/404/410 and other client errors say "never": retrying cannot help. Nor can a redirect, which a push POST does not follow. */
const permanent = (status: number) => (status >= 300 && status < 500 && status !== 408 && status !== 429);

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * The brand's push proxy. Every try carries `Idempotency-Key: <messageId>`, so a retry after a
 * time-out, or a resend after a worker crash, is recognisable by the proxy as the same message.
 */
export function webhookProvider(o: WebhookOptions): PushProvider {
  const timeoutMs = o.timeoutMs ?? 5000;
  const url = new URL(o.url);
  // Lower-cased so that ours replace a configured header of the same name, whatever its case.
  const configured = Object.fromEntries(Object.entries(o.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    messagesPerSecond: o.messagesPerSecond,
    async send(payload: PushPayload, signal?: AbortSignal): Promise<PushResult> {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = {
        ...configured,
        'content-type': 'application/json',
        'idempotency-key': payload.messageId,
      };
      if (o.signingSecret) headers['x-c2m-signature'] = signature(o.signingSecret, body);
      let detail = '';
      for (let attempt = 1; attempt <= o.retry.attempts; attempt++) {
        let wait: number | undefined;
        try {
          const res = await post(url, headers, body, { timeoutMs, signal });
          if (res.status >= 200 && res.status < 300) return { ok: true };
          detail = `HTTP ${res.status}`;
          if (permanent(res.status)) return { ok: false, errorCode: 'PUSH_REJECTED', detail };
          wait = retryAfterMs(res.headers['retry-after'] as string | undefined);
        } catch (err) {
          if (signal?.aborted) throw err;
          detail = (err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : String((err as Error).message ?? err);
        }
        if (attempt < o.retry.attempts) {
          const backoff = Math.min(o.retry.maxDelayMs, o.retry.initialDelayMs * 2 ** (attempt - 1));
          await sleep(Math.min(o.retry.maxDelayMs, wait ?? backoff * (0.5 + Math.random() / 2)), signal);
        }
      }
      return { ok: false, errorCode: 'PUSH_PROVIDER_ERROR', detail: `${detail} after ${o.retry.attempts} tries` };
    },
  };
}
