import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

const { echo } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

/** A round trip through workflow and activity workers: the smallest proof the engine runs. */
export async function ping(text: string): Promise<string> {
  return await echo(text);
}
