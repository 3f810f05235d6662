import { ROLES } from '../../db/schema.js';
import { Label, z } from './common.js';

export const AccountCreate = z.strictObject({ name: Label() }).openapi('AccountCreate');
export const Account = z.object({ accountId: z.string(), name: z.string() }).openapi('Account');

export const ApiKeyCreate = z.strictObject({ role: z.enum(ROLES), name: Label() }).openapi('ApiKeyCreate');
export const ApiKeyCreated = z
  .object({ keyId: z.string(), key: z.string().describe('Shown once; only its hash is stored.'), role: z.enum(ROLES), name: z.string() })
  .openapi('ApiKeyCreated');

export const Health = z
  .object({ status: z.enum(['ok', 'unavailable']), temporal: z.enum(['up', 'down']), db: z.enum(['up', 'down']), worker: z.enum(['up', 'down']) })
  .openapi('Health');
