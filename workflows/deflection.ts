import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DeflectionOutcome } from '../activities/deflection.js';
import { SA, deflectionRepliedSignal } from './messages.js';

export interface DeflectionInput {
  accountId: string;
  deflectionId: string;
}

const acts = proxyActivities<Activities>({
  // The caller is still on the phone: retry fast, and give up on nothing (the send is idempotent).
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200ms', maximumInterval: '5s', nonRetryableErrorTypes: ['DeflectionNotFound'] },
});

/** One IVR caller moved to app messaging: one push at most, then the lookback, then close. */
export async function deflectionWorkflow(input: DeflectionInput): Promise<DeflectionOutcome> {
  let replied = false;
  setHandler(deflectionRepliedSignal, () => void (replied = true));
  const sent = await acts.sendDeflection(input.deflectionId);
  upsertSearchAttributes([{ key: SA.status, value: sent.status }]);
  if (sent.status !== 'sent') return sent;
  const remaining = (sent.expiresAt ?? 0) - Date.now();
  if (remaining > 0) await condition(() => replied, remaining);
  const done = await acts.completeDeflection(input.deflectionId);
  upsertSearchAttributes([{ key: SA.status, value: done.status }]);
  return done;
}
