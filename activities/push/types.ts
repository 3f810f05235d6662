/** The body POSTed to a brand's push proxy (API.md, "Push delivery"). */
export interface PushPayload {
  messageId: string;
  accountId: string;
  consumerId: string;
  pushToken: string;
  platform: 'ios' | 'android';
  text: string;
  source: 'proactive' | 'ivr';
  campaignId?: string;
  deflectionId?: string;
  skill: string;
  expiresAt: string;
}

export type PushResult = { ok: true } | { ok: false; errorCode: 'PUSH_REJECTED' | 'PUSH_PROVIDER_ERROR'; detail: string };

export interface PushProvider {
  send(payload: PushPayload, signal?: AbortSignal): Promise<PushResult>;
  /** The provider's own rate cap (messages per second), if it has one. */
  readonly messagesPerSecond?: number | undefined;
}

export interface RetryPolicy {
  /** Total tries for one message, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 250, maxDelayMs: 5000 };
