import type { Config } from '../../worker/config.js';
import type { RouteDef } from '../route.js';
import { accountRoutes } from './accounts.js';
import { campaignRoutes } from './campaigns.js';
import { consumerRoutes } from './consumers.js';
import { conversationRoutes } from './conversations.js';
import { handoffRoutes } from './handoffs.js';
import { healthRoutes } from './health.js';
import { ivrRoutes } from './ivr.js';
import { pushConfigRoutes } from './push-config.js';
import { reportRoutes } from './reports.js';
import { settingsRoutes } from './settings.js';

/**
 * Every endpoint, in the order the OpenAPI document lists them. Built from the config because some
 * bounds (lookback, consumer count) are configured, and the document should state the real ones.
 */
export function allRoutes(config: Config): RouteDef[] {
  return [...healthRoutes, ...accountRoutes, ...pushConfigRoutes, ...settingsRoutes, ...handoffRoutes(config), ...campaignRoutes(config), ...consumerRoutes, ...conversationRoutes, ...ivrRoutes, ...reportRoutes];
}
