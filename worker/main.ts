import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { openDb } from '../db/client.js';
import { loadConfig, temporalAddress } from './config.js';
import { createLogger } from './logger.js';
import { boundPort, serveMetrics } from './metrics.js';
import { bundleInChild } from './bundle.js';
import { createWorker } from './worker.js';
import { defaultActivityDeps } from '../activities/index.js';

const config = loadConfig();
const logger = createLogger('worker', config.logLevel);

// SDK, workflow and activity logs join the same JSON stream as ours.
const sdkLogger = new DefaultLogger((config.logLevel === 'silent' ? 'ERROR' : config.logLevel.toUpperCase()) as LogLevel, (entry) => {
  const level = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
  logger[level]({ ...entry.meta, sdk: true }, entry.message);
});

// The SDK's own metrics (poll and task latencies, slots, sticky cache) on their own port. A port
// already taken costs the metrics, not the worker: it keeps sending, and the scrape target shows down.
const sdkMetricsPort = config.metrics.temporalPort;
try {
  Runtime.install({
    logger: sdkLogger,
    ...(sdkMetricsPort > 0
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${sdkMetricsPort}`, useSecondsForDurations: true, countersTotalSuffix: true } } } }
      : {}),
  });
} catch (err) {
  if (sdkMetricsPort === 0) throw err;
  logger.error({ err: String(err), port: sdkMetricsPort }, 'Temporal SDK metrics not served');
  Runtime.install({ logger: sdkLogger });
}

async function connectWithRetry(address: string): Promise<NativeConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (attempt >= 60) throw err;
      logger.warn({ address, attempt }, 'temporal not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main(): Promise<void> {
  const db = openDb(config.dbFile);
  const deps = defaultActivityDeps({ db, config, logger });
  const metricsServer =
    config.metrics.workerPort > 0
      ? await serveMetrics(deps.metrics, config.metrics.workerPort).catch((err: unknown) => {
          logger.error({ err: String(err), port: config.metrics.workerPort }, 'worker metrics not served');
          return undefined;
        })
      : undefined;
  const [connection, workflowBundle] = await Promise.all([connectWithRetry(temporalAddress(config)), bundleInChild()]);
  const worker = await createWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps,
    workflowBundle,
  });
  logger.info(
    {
      taskQueue: config.temporal.taskQueue,
      address: temporalAddress(config),
      metricsPort: metricsServer ? boundPort(metricsServer) : undefined,
      temporalMetricsPort: sdkMetricsPort || undefined,
    },
    'worker started',
  );
  // Runtime handles SIGINT/SIGTERM: it asks the worker to shut down, and run() resolves once
  // in-flight tasks have finished or been handed back.
  await worker.run();
  await connection.close();
  metricsServer?.close();
  db.$client.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed');
  process.exit(1);
});
