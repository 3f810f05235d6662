// One real stack per test file: a Temporal dev server (the pinned CLI), a temp SQLite file, a worker
// and the API on free ports. Everything a test checks goes over real HTTP.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createApp } from '../api/app.js';
import type { AppDeps } from '../api/context.js';
import { RateLimiter } from '../api/rate-limit.js';
import { openDb, type Db } from '../db/client.js';
import { temporalBinary } from '../scripts/temporal.js';
import { loadConfig, type Config } from '../worker/config.js';
import { createLogger } from '../worker/logger.js';
import { createTemporalClient } from '../worker/temporal.js';
import { writeWorkflowBundle } from '../worker/bundle.js';
import { createWorker } from '../worker/worker.js';
import { SEARCH_ATTRIBUTES } from '../workflows/messages.js';
import { defaultActivityDeps, type ActivityDeps } from '../activities/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let runtimeInstalled = false;

/** The workflow bundle, built once per source version and shared by every test process. */
export async function workflowBundle(): Promise<{ codePath: string }> {
  const dir = path.join(root, 'workflows');
  const hash = createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  const codePath = path.join(root, '.cache', `workflow-bundle-${hash.digest('hex').slice(0, 16)}.js`);
  if (!fs.existsSync(codePath)) await writeWorkflowBundle(codePath);
  return { codePath };
}

export interface StackOptions {
  /** Extra environment for loadConfig (e.g. C2M_RATE_LIMIT_RPS). */
  env?: Record<string, string>;
  /** Start the in-process worker at once (default true). */
  worker?: boolean;
  /**
   * A Temporal server the test runs itself (e.g. a persistent dev server it restarts); default: a
   * fresh in-memory dev server per stack.
   */
  temporalAddress?: string;
  /** Replace or extend activity dependencies (fault injection). */
  activityDeps?: (deps: ActivityDeps) => ActivityDeps;
}

export interface Stack {
  baseUrl: string;
  rootKey: string;
  config: Config;
  db: Db;
  app: AppDeps;
  /** Absent when the test brought its own server (`temporalAddress`). */
  testEnv?: TestWorkflowEnvironment;
  temporalAddress: string;
  worker?: Worker;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const cli = await temporalBinary('cli');
  const testEnv = options.temporalAddress
    ? undefined
    : await TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path: cli }, ip: '127.0.0.1', searchAttributes: SEARCH_ATTRIBUTES },
      });
  const temporalAddress = options.temporalAddress ?? testEnv!.address;
  let ownConnection: NativeConnection | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2m-test-'));
  const config = loadConfig({
    C2M_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `c2m-test-${process.pid}`,
    C2M_LOG_LEVEL: process.env.C2M_TEST_LOG_LEVEL ?? 'silent',
    C2M_RATE_LIMIT_RPS: '1000',
    ...options.env,
  });
  const logger = createLogger('test', config.logLevel);
  const db = openDb(config.dbFile);
  const rootKey = `c2m_root.test-${process.pid}-root-key`;
  const app: AppDeps = {
    db,
    config,
    logger,
    temporal: createTemporalClient(config),
    rootKey,
    rateLimiter: new RateLimiter(config.rateLimitRps),
  };
  const server: Server = createApp(app).listen(0, '127.0.0.1');
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const bundle = await workflowBundle();
  const workerDb = openDb(config.dbFile); // the worker's own connection, as in production
  const baseDeps: ActivityDeps = defaultActivityDeps({ db: workerDb, config, logger });
  let running: Promise<void> | undefined;

  const stack: Stack = {
    baseUrl,
    rootKey,
    config,
    db,
    app,
    testEnv,
    temporalAddress,
    async startWorker() {
      ownConnection ??= testEnv ? undefined : await NativeConnection.connect({ address: temporalAddress });
      const worker = await createWorker({
        connection: testEnv?.nativeConnection ?? ownConnection!,
        namespace: config.temporal.namespace,
        taskQueue: config.temporal.taskQueue,
        deps: options.activityDeps ? options.activityDeps(baseDeps) : baseDeps,
        workflowBundle: bundle,
      });
      stack.worker = worker;
      running = worker.run();
    },
    async stopWorker() {
      if (stack.worker && stack.worker.getState() === 'RUNNING') stack.worker.shutdown();
      await running;
      stack.worker = undefined;
    },
    async stop() {
      await stack.stopWorker();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await app.temporal.connection.close();
      await ownConnection?.close();
      await testEnv?.teardown();
      db.$client.close();
      workerDb.$client.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** fetch with a bearer key and JSON in and out; never throws on a status. */
export async function http<T = any>(
  stack: { baseUrl: string },
  method: string,
  urlPath: string,
  opts: { key?: string; body?: unknown; rawBody?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fetch(`${stack.baseUrl}${urlPath}`, { method, headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** A fresh account with one key per role requested. */
export async function newAccount<R extends string>(stack: Pick<Stack, 'baseUrl' | 'rootKey'>, roles: readonly R[], name = 'Acme') {
  const account = await http(stack, 'POST', '/v1/accounts', { key: stack.rootKey, body: { name } });
  if (account.status !== 201) throw new Error(`account: ${account.status} ${account.text}`);
  const accountId: string = account.body.accountId;
  const keys = {} as Record<R, string>;
  for (const role of roles) {
    const key = await http(stack, 'POST', `/v1/accounts/${accountId}/api-keys`, { key: stack.rootKey, body: { role, name: role } });
    if (key.status !== 201) throw new Error(`key: ${key.status} ${key.text}`);
    keys[role] = key.body.key;
  }
  return { accountId, keys };
}

/** Polls until `check` returns a truthy value or the time is up (then throws with the last value). */
export async function eventually<T>(check: () => Promise<T | false | undefined | null> | T | false | undefined | null, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | false | undefined | null;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * A second API over the same stack with its own rate limit: one stack serves tests that need a high
 * budget and tests of the limit itself. Closed by the returned function.
 */
export async function limitedApi(stack: Stack, rps: number): Promise<{ baseUrl: string; close(): void }> {
  const app = createApp({ ...stack.app, config: { ...stack.config, rateLimitRps: rps }, rateLimiter: new RateLimiter(rps) });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A port nobody listens on right now (for processes that must be told their port up front). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}
