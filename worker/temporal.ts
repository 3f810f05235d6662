import { Client, Connection } from '@temporalio/client';
import { temporalAddress, type Config } from './config.js';

/**
 * Lazy: the API starts (and answers /healthz 503) before Temporal is reachable, and a request that
 * needs the engine while it is down fails with ENGINE_UNAVAILABLE instead of hanging the process.
 */
export function createTemporalClient(config: Config, address = temporalAddress(config)): Client {
  const connection = Connection.lazy({ address, connectTimeout: '5s' });
  return new Client({ connection, namespace: config.temporal.namespace });
}

/** A worker has polled this task queue lately (the long poll renews within about a minute). */
export async function workerIsPolling(client: Client, taskQueue: string, now = Date.now()): Promise<boolean> {
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return (res.pollers ?? []).some((p) => {
    const seconds = Number(p.lastAccessTime?.seconds ?? 0);
    return now / 1000 - seconds < 90;
  });
}
