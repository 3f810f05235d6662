import { z } from './common.js';

export const PushConfigPut = z
  .discriminatedUnion('provider', [
    z.strictObject({ provider: z.literal('inbox') }),
    z.strictObject({
      provider: z.literal('webhook'),
      url: z.url({ protocol: /^https?$/ }),
      headers: z
        .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a header name'), z.string().max(1024))
        .refine((h) => Object.keys(h).length <= 4, 'at most 4 headers')
        .optional(),
      signingSecret: z.string().min(16).max(256).optional(),
      messagesPerSecond: z.number().int().min(1).max(100_000).optional(),
      timeoutMs: z.number().int().min(100).max(60_000).optional(),
    }),
  ])
  .openapi('PushConfigPut');

export const PushConfigView = z
  .object({
    provider: z.enum(['inbox', 'webhook']),
    url: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    signingSecret: z.literal('set').optional().describe('Never returned; "set" when one is configured.'),
    messagesPerSecond: z.number().int().optional(),
    timeoutMs: z.number().int().optional(),
  })
  .openapi('PushConfig');
