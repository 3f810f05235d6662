import type { Config } from '../../worker/config.js';
import type { RouteDef } from '../route.js';
import { accountRoutes } from './accounts.js';
import { healthRoutes } from './health.js';

/**
 * Every endpoint, in the order the OpenAPI document lists them. Built from the config because some
 * bounds (lookback, consumer count) are configured, and the document should state the real ones.
 */
export function allRoutes(config: Config): RouteDef[] {
  void config;
  return [...healthRoutes, ...accountRoutes];
}
