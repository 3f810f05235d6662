import type { Config } from '../worker/config.js';
import type { Db } from '../db/client.js';
import type { PushConfig } from '../db/push-config.js';
import type { Logger } from '../worker/logger.js';
import { createWorkerMetrics, instrumentProvider, type WorkerMetrics } from '../worker/metrics.js';
import { createCampaignActivities } from './campaign.js';
import { localConversationCheck, type ConversationCheck } from './conversation-check.js';
import { createDeflectionActivities } from './deflection.js';
import { createDispatch } from './dispatch.js';
import { providerFor, type PushProvider } from './push/index.js';
import { createSendThreads } from './push/threads.js';

/** What activities may touch; tests pass their own (a temp database, a fast retry policy). */
export interface ActivityDeps {
  db: Db;
  config: Config;
  logger: Logger;
  conversationCheck: ConversationCheck;
  pushProviderFor: (config: PushConfig) => PushProvider;
  /** Provider calls in flight per dispatch activity. */
  sendConcurrency: number;
  metrics: WorkerMetrics;
}

export function defaultActivityDeps(base: { db: Db; config: Config; logger: Logger }): ActivityDeps {
  const threads = base.config.sendThreads > 0 ? createSendThreads(base.config.sendThreads) : undefined;
  return {
    ...base,
    conversationCheck: localConversationCheck(base.db),
    pushProviderFor: (c) => (threads ? threads.providerFor(c) : providerFor(c)),
    sendConcurrency: 64,
    metrics: createWorkerMetrics(),
  };
}

export function createActivities(given: ActivityDeps) {
  // Every provider call is timed here, whichever provider (or test double) the deps supply.
  const deps: ActivityDeps = {
    ...given,
    pushProviderFor: (c) => instrumentProvider(given.pushProviderFor(c), c.provider, given.metrics),
  };
  return {
    async echo(text: string): Promise<string> {
      return text;
    },
    dispatchPage: createDispatch(deps),
    ...createCampaignActivities(deps),
    ...createDeflectionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
