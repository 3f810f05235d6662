import type { Server } from 'node:http';
import { openDb } from '../db/client.js';
import { loadConfig } from '../worker/config.js';
import { createLogger } from '../worker/logger.js';
import { createTemporalClient } from '../worker/temporal.js';
import { createApp } from './app.js';
import { RateLimiter } from './rate-limit.js';
import { resolveRootKey } from './root-key.js';

const config = loadConfig();
const logger = createLogger('api', config.logLevel);

const db = openDb(config.dbFile);
const root = resolveRootKey(config);
if (root.created) {
  // Printed once, on the run that created it; afterwards it is only in the file.
  process.stdout.write(`\n  c2m root key (saved to ${root.file}, shown once):\n  ${root.key}\n\n`);
}
const temporal = createTemporalClient(config);
const app = createApp({ db, config, logger, temporal, rootKey: root.key, rateLimiter: new RateLimiter(config.rateLimitRps) });

const server: Server = app.listen(config.port, () => {
  logger.info({ port: config.port, docs: `http://localhost:${config.port}/docs` }, 'api listening');
});
server.requestTimeout = 120_000;
// Longer than the idle timeouts of clients and load balancers, so they close idle sockets first.
server.keepAliveTimeout = 65_000;

function shutdown(signal: string): void {
  logger.info({ signal }, 'api stopping');
  server.close(() => {
    void temporal.connection.close().finally(() => {
      db.$client.close();
      process.exit(0);
    });
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
