import path from 'node:path';
import { z } from 'zod';

// One parse of the environment for every process (api, worker, supervisor), so a bad value
// fails at start with its name rather than later as a strange behaviour.
const intFrom = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

const EnvSchema = z.object({
  PORT: intFrom(3000, 0),
  C2M_DATA_DIR: z.string().min(1).default('./data'),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('c2m'),
  C2M_TEMPORAL_PORT: intFrom(7233, 1),
  C2M_TEMPORAL_UI_PORT: intFrom(8233, 1),
  C2M_TEMPORAL_UI_URL: z.string().url().optional(),
  C2M_ROOT_KEY: z.string().min(16).optional(),
  C2M_RATE_LIMIT_RPS: intFrom(3, 1),
  C2M_LOOKBACK_MIN_SECONDS: intFrom(3600, 1),
  C2M_MAX_CONSUMERS: intFrom(100_000, 1),
  C2M_BODY_LIMIT_MB: intFrom(24, 1),
  C2M_WORKER_METRICS_PORT: intFrom(9464, 0),
  C2M_TEMPORAL_METRICS_PORT: intFrom(9465, 0),
  C2M_SEND_THREADS: intFrom(1, 0),
  C2M_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export interface Config {
  port: number;
  dataDir: string;
  dbFile: string;
  temporal: {
    /** undefined: the supervisor starts the embedded dev server on `devPort`. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    devPort: number;
    uiPort: number;
    uiUrl: string;
  };
  rootKey: string | undefined;
  rateLimitRps: number;
  lookbackMinSeconds: number;
  lookbackMaxSeconds: number;
  maxConsumers: number;
  bodyLimitBytes: number;
  /** Ports a worker serves Prometheus metrics on (its own, and the Temporal SDK's); 0: not served. */
  metrics: { workerPort: number; temporalPort: number };
  /** Threads making the webhook calls beside a worker's main thread; 0: on the main thread. */
  sendThreads: number;
  logLevel: z.infer<typeof EnvSchema>['C2M_LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.C2M_DATA_DIR);
  return {
    port: e.PORT,
    dataDir,
    dbFile: path.join(dataDir, 'c2m.sqlite'),
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devPort: e.C2M_TEMPORAL_PORT,
      uiPort: e.C2M_TEMPORAL_UI_PORT,
      uiUrl: e.C2M_TEMPORAL_UI_URL ?? `http://localhost:${e.C2M_TEMPORAL_UI_PORT}`,
    },
    rootKey: e.C2M_ROOT_KEY,
    rateLimitRps: e.C2M_RATE_LIMIT_RPS,
    lookbackMinSeconds: e.C2M_LOOKBACK_MIN_SECONDS,
    lookbackMaxSeconds: 2_592_000,
    maxConsumers: e.C2M_MAX_CONSUMERS,
    bodyLimitBytes: e.C2M_BODY_LIMIT_MB * 1024 * 1024,
    metrics: { workerPort: e.C2M_WORKER_METRICS_PORT, temporalPort: e.C2M_TEMPORAL_METRICS_PORT },
    sendThreads: e.C2M_SEND_THREADS,
    logLevel: e.C2M_LOG_LEVEL,
  };
}

/** The address API and worker dial: the configured cluster, or the embedded dev server. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
}
