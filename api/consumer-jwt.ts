import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Db } from '../db/client.js';
import { getIdpConfig, type IdpConfigRow } from '../db/idp.js';
import { ApiError } from './errors.js';

// Asymmetric only: a shared-secret algorithm would let anyone holding the "public" key mint tokens.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;

/** Parses a PEM public key (SPKI or certificate); throws on anything else. */
export function parsePublicKeyPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid for this account';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's '${err.claim}' claim is not accepted`;
  if (err instanceof errors.JWKSNoMatchingKey) return "no key in the account's JWKS matches the token";
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JOSEError) return `the token could not be verified: ${(err as Error).message}`;
  return 'the token is malformed';
}

/**
 * A consumer-token verifier for AppDeps: checks the token against the account's IDP config and
 * resolves its subject. Remote key sets are kept per account and URL (jose caches and refreshes
 * them), and rebuilt when the config changes.
 */
export function createConsumerTokenVerifier(db: Db): (accountId: string, token: string) => Promise<string> {
  const keys = new Map<string, { updatedAt: number; key: KeyObject | JWTVerifyGetKey }>();

  const keyFor = (cfg: IdpConfigRow) => {
    const cached = keys.get(cfg.accountId);
    if (cached && cached.updatedAt === cfg.updatedAt) return cached.key;
    const key = cfg.jwksUrl ? createRemoteJWKSet(new URL(cfg.jwksUrl)) : parsePublicKeyPem(cfg.publicKeyPem ?? '');
    keys.set(cfg.accountId, { updatedAt: cfg.updatedAt, key });
    return key;
  };

  return async (accountId, token) => {
    const cfg = getIdpConfig(db, accountId);
    if (!cfg) throw new ApiError('UNAUTHENTICATED', 'this account has no identity provider configured: consumer tokens are refused');
    try {
      const key = keyFor(cfg);
      const options = { issuer: cfg.issuer, audience: cfg.audience, algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['sub', 'exp'] };
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      return payload.sub!;
    } catch (err) {
      throw new ApiError('UNAUTHENTICATED', reason(err));
    }
  };
}
