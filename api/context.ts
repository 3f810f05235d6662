import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.js';
import type { Config } from '../worker/config.js';
import type { Logger } from '../worker/logger.js';
import type { RateLimiter } from './rate-limit.js';

/** Everything a route handler may use; built once per app (tests build their own). */
export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  temporal: Client;
  rootKey: string;
  rateLimiter: RateLimiter;
  /** Verifies a consumer JWT for an account; resolves the token's subject or throws ApiError. Default: the account's IDP config. */
  verifyConsumerToken?: (accountId: string, token: string) => Promise<string>;
}
