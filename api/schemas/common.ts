import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

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

/** Plain text and emoji: no control characters (but newlines and tabs), no markup. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const MARKUP = /<\/?[a-z!][^>]*>|&[a-z]+;|&#\d+;/i;
export function isPlainText(text: string): boolean {
  return !CONTROL.test(text) && !MARKUP.test(text);
}

export const IsoTimestamp = z.iso.datetime({ offset: true });

/** Cursor pagination query shared by every list endpoint. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(512).optional(),
});

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString());
