import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/** Opaque, URL-safe, 80 bits of randomness behind a readable prefix (`cmp_…`, `acc_…`). */
export function newId(prefix: string, bytes = 10): string {
  const buf = randomBytes(bytes);
  let out = '';
  for (const b of buf) out += ALPHABET[b & 31]! + ALPHABET[b >> 5]!;
  return `${prefix}_${out}`;
}

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}
