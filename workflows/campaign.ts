import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { CampaignState } from '../activities/campaign.js';
import { SA, cancelCampaignUpdate, campaignProgressQuery, type CampaignPhase, type CampaignProgress } from './messages.js';

export interface CampaignInput {
  accountId: string;
  campaignId: string;
  /** Epoch ms; dispatch waits until then. */
  startAt: number;
  messagesPerSecond: number | null;
  /** Carried over continue-as-new. */
  resume?: { progress: CampaignProgress; paceOriginMs: number };
}

const retry = { initialInterval: '1s', maximumInterval: '30s', nonRetryableErrorTypes: ['CampaignNotFound'] };
const steps = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '20 seconds', retry });
const pages = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '20 seconds',
  retry,
  // A cancel waits for the page to stop, so its in-flight sends are recorded before we go on.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
});

const TERMINAL: CampaignPhase[] = ['completed', 'cancelled', 'failed'];

/** Pages of a few seconds' worth at the paced rate, so cancel and lookback end are noticed soon. */
export const pageSizeFor = (mps: number | null) => (mps ? Math.min(2000, Math.max(50, mps * 5)) : 2000);

/**
 * One proactive campaign: wait for `startAt`, dispatch the recipients page by page (an activity
 * per page, never one per recipient), keep the lookback open, then complete. Recipients live in the
 * database and move by cursor; the workflow only carries counts.
 */
export async function campaignWorkflow(input: CampaignInput): Promise<CampaignProgress> {
  try {
    return await run(input);
  } catch (err) {
    // Activities retry until they succeed, so an ActivityFailure here is non-retryable: record it.
    if (err instanceof ActivityFailure) await steps.failCampaign(input.campaignId);
    throw err;
  }
}

async function run(input: CampaignInput): Promise<CampaignProgress> {
  const progress: CampaignProgress = input.resume?.progress ?? {
    campaignId: input.campaignId,
    status: 'scheduled',
    cursor: 0,
    pages: 0,
    attempted: 0,
    sent: 0,
    failed: 0,
    skipped: 0,
    expiresAt: null,
  };
  let paceOriginMs = input.resume?.paceOriginMs ?? 0;
  let cancelRequested = false;

  const setStatus = (status: CampaignPhase) => {
    if (progress.status === status) return;
    progress.status = status;
    upsertSearchAttributes([{ key: SA.status, value: status }]);
  };
  const adopt = (s: CampaignState) => {
    progress.expiresAt = s.expiresAt;
    setStatus(s.status);
  };

  setHandler(campaignProgressQuery, () => progress);
  setHandler(
    cancelCampaignUpdate,
    async () => {
      cancelRequested = true;
      adopt(await steps.cancelCampaign(input.campaignId));
      return progress;
    },
    {
      validator: () => {
        if (TERMINAL.includes(progress.status)) throw ApplicationFailure.nonRetryable(`campaign is ${progress.status}`, 'InvalidTransition');
      },
    },
  );

  const finish = async () => {
    await condition(allHandlersFinished);
    return progress;
  };

  if (!input.resume) {
    const wait = input.startAt - Date.now();
    if (wait > 0 && (await condition(() => cancelRequested, wait))) return finish();
    if (cancelRequested) return finish();
    const started = await steps.startDispatch(input.campaignId);
    adopt(started);
    paceOriginMs = started.startedAt ?? Date.now();
    if (progress.status !== 'dispatching') return finish();
  }

  if (progress.status === 'dispatching') {
    const pageSize = pageSizeFor(input.messagesPerSecond);
    while (!cancelRequested && Date.now() < (progress.expiresAt ?? Infinity)) {
      const page = await pages.dispatchPage({
        campaignId: input.campaignId,
        afterSeq: progress.cursor,
        pageSize,
        pace: { originMs: paceOriginMs, before: progress.attempted },
      });
      progress.cursor = page.nextSeq;
      progress.pages++;
      progress.attempted += page.attempted;
      progress.sent += page.sent;
      progress.failed += page.failed;
      progress.skipped += page.skipped;
      if (page.done) break;
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof campaignWorkflow>({ ...input, resume: { progress, paceOriginMs } });
      }
    }
    if (cancelRequested) return finish();
    if (Date.now() < (progress.expiresAt ?? 0)) adopt(await steps.finishDispatch(input.campaignId));
  }

  // The lookback: replies within it are routed to the campaign's skill (the database decides that).
  if (progress.status === 'active') {
    const remaining = (progress.expiresAt ?? 0) - Date.now();
    if (remaining > 0 && (await condition(() => cancelRequested, remaining))) return finish();
  }
  if (!cancelRequested && !TERMINAL.includes(progress.status)) adopt(await steps.completeCampaign(input.campaignId));
  return finish();
}
