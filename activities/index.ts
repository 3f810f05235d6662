import type { Config } from '../worker/config.js';
import type { Db } from '../db/client.js';
import type { Logger } from '../worker/logger.js';

/** What activities may touch; tests pass their own (a temp database, a short clock). */
export interface ActivityDeps {
  db: Db;
  config: Config;
  logger: Logger;
}

export function createActivities(deps: ActivityDeps) {
  return {
    async echo(text: string): Promise<string> {
      deps.logger.debug({ text }, 'echo');
      return text;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
