import type { PushConfig } from '../../db/push-config.js';
import type { PushPayload, PushResult, RetryPolicy } from './types.js';

/** What the worker's main thread tells a send thread. */
export type ToThread = { t: 'send'; batch: SendRequest[] } | { t: 'abort'; ids: number[] };

/**
 * One provider call. Every request carries its provider's config (one object per provider, so a
 * batch clones it once): a thread never has to have been told about a provider beforehand.
 */
export interface SendRequest {
  id: number;
  provider: { key: string; config: PushConfig; retry: RetryPolicy };
  payload: PushPayload;
  /** The caller passed a signal: only then does the thread keep an AbortController for the call. */
  abortable: boolean;
}

/** A provider call's end: its result, or the error it threw (name and message survive the thread hop). */
export type Outcome = { id: number; result: PushResult } | { id: number; error: { name: string; message: string } };

export type FromThread = { t: 'outcomes'; batch: Outcome[] };
