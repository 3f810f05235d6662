import type { PushConfig } from '../../db/push-config.js';
import { DEFAULT_RETRY, type PushProvider, type RetryPolicy } from './types.js';
import { webhookProvider } from './webhook.js';

export * from './types.js';

/** The inbox makes no external call: the message waits in the consumer's notification center. */
export const inboxProvider: PushProvider = { send: async () => ({ ok: true }) };

export function providerFor(config: PushConfig, retry: RetryPolicy = DEFAULT_RETRY): PushProvider {
  return config.provider === 'webhook' ? webhookProvider({ ...config, retry }) : inboxProvider;
}
