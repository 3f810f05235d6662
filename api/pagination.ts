import { ApiError } from './errors.js';

/**
 * Keyset cursors: opaque base64url JSON of the last row's sort key. Stable under inserts, unlike
 * offsets, and cheap on an index.
 */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(cursor: string | undefined, fields: (keyof T)[]): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
    if (value && typeof value === 'object' && fields.every((f) => ['string', 'number'].includes(typeof value[f]))) return value;
  } catch {
    // fall through
  }
  throw new ApiError('INVALID_REQUEST', 'cursor is not one this API returned', [{ path: 'query.cursor', message: 'invalid cursor' }]);
}

/** Rows fetched with `limit + 1`: the page, and the cursor for the next one when there is more. */
export function page<R>(rows: R[], limit: number, keyOf: (row: R) => Record<string, string | number>) {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextCursor: more ? encodeCursor(keyOf(items[items.length - 1]!)) : null };
}
