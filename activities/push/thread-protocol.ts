import type { PushConfig } from '../../db/push-config.js';
import type { PushPayload, PushResult, RetryPolicy } from './types.js';

/** What the worker's main thread tells a send thread. */
export type ToThread =
  | { t: 'provider'; key: string; config: PushConfig; retry: RetryPolicy }
  | { t: 'send'; batch: { id: number; key: string; payload: PushPayload }[] }
  | { t: 'abort'; ids: number[] };

/** A provider call's end: its result, or the error it threw (name and message survive the thread hop). */
export type Outcome = { id: number; result: PushResult } | { id: number; error: { name: string; message: string } };

export type FromThread = { t: 'outcomes'; batch: Outcome[] };
