import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { withCode } from '../errors.js';

extendZodWithOpenApi(z);
export { z };

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .openapi('Problem');

/** A documented error answer of a route. */
export const problem = (description: string) => ({ description, schema: ProblemSchema, mediaType: 'application/problem+json' });

/** Plain text and emoji: no control characters (but newlines and tabs), no markup. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const MARKUP = /<\/?[a-z!][^>]*>|&[a-z]+;|&#\d+;/i;
export function isPlainText(text: string): boolean {
  return !CONTROL.test(text) && !MARKUP.test(text);
}

/**
 * A one-line name or label (names, skills, engagements): trimmed, 1–max characters, no control
 * characters and no lone surrogates, which would break logs, CSV exports and the agent's screen.
 */
export const Label = (max = 255) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\u0000-\u001F\u007F-\u009F]/.test(s) && s.isWellFormed(), { message: 'must be one line of text without control characters' });

/** Outbound message content (campaigns, handoffs): 1–2000 characters of plain text and emoji. */
export const MessageContent = z
  .strictObject({
    text: z
      .string()
      .min(1)
      .max(2000)
      .refine(isPlainText, withCode('UNSUPPORTED_CONTENT', 'only plain text and emoji: no markup, structured content or control characters')),
  })
  .openapi('MessageContent');

export const PushPolicy = z
  .strictObject({ loggedIn: z.boolean(), loggedOut: z.boolean() })
  .openapi('PushPolicy', { description: 'Whether to push to consumers currently logged in / logged out of the app.' });

/** Lookback bounds are configured (C2M_LOOKBACK_MIN_SECONDS), so the schema is built per config. */
export const lookbackSeconds = (limits: { lookbackMinSeconds: number; lookbackMaxSeconds: number }) =>
  z.number().int().min(limits.lookbackMinSeconds).max(limits.lookbackMaxSeconds).describe('Reply window in whole seconds.');

export const IsoTimestamp = z.iso.datetime({ offset: true });

/** Cursor pagination query shared by every list endpoint. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
});

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
