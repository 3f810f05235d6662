import type { Config } from '../../worker/config.js';
import type { RouteDef } from '../route.js';
import { accountRoutes } from './accounts.js';
import { campaignRoutes } from './campaigns.js';
import { consumerRoutes } from './consumers.js';
import { healthRoutes } from './health.js';
import { pushConfigRoutes } from './push-config.js';

/**
 * Every endpoint, in the order the OpenAPI document lists them. Built from the config because some
 * bounds (lookback, consumer count) are configured, and the document should state the real ones.
 */
export function allRoutes(config: Config): RouteDef[] {
  return [...healthRoutes, ...accountRoutes, ...pushConfigRoutes, ...campaignRoutes(config), ...consumerRoutes];
}
