import type { Request } from 'express';
import { findActiveKey, hashSecret, safeEqualHex } from '../db/accounts.js';
import type { Role } from '../db/schema.js';
import type { AppDeps } from './context.js';
import { ApiError } from './errors.js';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'root' }
  | { kind: 'key'; keyId: string; accountId: string; role: Role }
  | { kind: 'consumer'; accountId: string; consumerId: string };

/** Who may call a route. `consumer`: a consumer JWT whose `sub` equals the path's consumerId. */
export interface Access {
  roles: readonly Role[];
  root?: boolean;
  consumer?: boolean;
}

function bearer(req: Request): string {
  const header = req.header('authorization');
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!m) throw new ApiError('UNAUTHENTICATED', 'missing bearer credential');
  return m[1]!;
}

/**
 * 401 for a missing or unknown credential; 404 for another account's resource (before any role
 * check, so a foreign key learns nothing); 403 for a known credential in the wrong role.
 */
export async function authorize(
  req: Request,
  deps: AppDeps,
  access: Access,
  params: { accountId?: string; consumerId?: string },
): Promise<Principal> {
  const token = bearer(req);
  if (safeEqualHex(hashSecret(token), hashSecret(deps.rootKey))) {
    if (!access.root) throw new ApiError('FORBIDDEN', 'the root key may only create accounts and keys');
    return { kind: 'root' };
  }
  const key = token.startsWith('c2m_') ? findActiveKey(deps.db, token) : undefined;
  if (key) {
    if (params.accountId !== undefined && params.accountId !== key.accountId) throw new ApiError('NOT_FOUND', 'account not found');
    if (!access.roles.includes(key.role)) throw new ApiError('FORBIDDEN', `role '${key.role}' may not call this endpoint`);
    return { kind: 'key', keyId: key.id, accountId: key.accountId, role: key.role };
  }
  if (access.consumer && params.accountId !== undefined && deps.verifyConsumerToken && !token.startsWith('c2m_')) {
    const consumerId = await deps.verifyConsumerToken(params.accountId, token);
    if (params.consumerId !== undefined && consumerId !== params.consumerId) {
      throw new ApiError('FORBIDDEN', 'the token is for another consumer');
    }
    return { kind: 'consumer', accountId: params.accountId, consumerId };
  }
  throw new ApiError('UNAUTHENTICATED', 'unknown or revoked credential');
}

/**
 * Routes whose path names no consumer (a message, a conversation) check ownership here, once the
 * resource is loaded: a consumer token acts only for its own subject.
 */
export function assertActsFor(principal: Principal, consumerId: string): void {
  if (principal.kind === 'consumer' && principal.consumerId !== consumerId) throw new ApiError('FORBIDDEN', 'the token is for another consumer');
}
