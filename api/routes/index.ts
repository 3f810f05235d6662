import type { RouteDef } from '../route.js';
import { accountRoutes } from './accounts.js';
import { healthRoutes } from './health.js';

/** Every endpoint, in the order the OpenAPI document lists them. */
export const allRoutes: RouteDef[] = [...healthRoutes, ...accountRoutes];
