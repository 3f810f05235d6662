import { setMaxListeners } from 'node:events';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { getCampaignById, type CampaignRow } from '../db/campaigns.js';
import { getConsumers, type ConsumerRow } from '../db/consumers.js';
import { claimForSending, recipientPage, recordOutcomes, recordSkipped, type PageRow, type SendOutcome } from '../db/messages.js';
import { getPushConfig } from '../db/push-config.js';
import type { ErrorCode } from '../db/schema.js';
import type { ActivityDeps } from './index.js';
import { ineligibility } from './eligibility.js';
import { Pacer } from './pacer.js';
import type { PushProvider } from './push/index.js';
import { pushPayload } from './push/payload.js';

export interface DispatchInput {
  campaignId: string;
  afterSeq: number;
  pageSize: number;
  /** When dispatch began and how many sends came before this page: the pacing schedule. */
  pace: { originMs: number; before: number };
}

export interface DispatchResult {
  nextSeq: number;
  /** No recipients after this page, or the campaign stopped dispatching. */
  done: boolean;
  attempted: number;
  sent: number;
  failed: number;
  skipped: number;
}

// Outcomes not yet written when a worker dies are re-POSTed (same Idempotency-Key) after the retry:
// small, frequent flushes keep that to about a pool's worth. A WAL commit costs tens of µs.
const FLUSH_EVERY = 100;
const FLUSH_MS = 50;
/** Unpaced, claims are this many send pools' worth. */
const CLAIM_POOLS = 4;
/** How long an unpaced activity keeps taking pages before it reports back to the workflow. */
const CONTINUE_FOR_MS = 10_000;

interface ToSend {
  row: PageRow;
  consumer: ConsumerRow;
}

/** Eligibility of a page with two batched queries: consumers, then open conversations. */
async function screen(deps: ActivityDeps, campaign: CampaignRow, rows: PageRow[]) {
  const consumers = getConsumers(deps.db, campaign.accountId, rows.map((r) => r.consumerId));
  const policy = { loggedIn: campaign.pushLoggedIn, loggedOut: campaign.pushLoggedOut };
  const skipped: { id: string; errorCode: ErrorCode }[] = [];
  const candidates: ToSend[] = [];
  const resend: ToSend[] = [];
  for (const row of rows) {
    const consumer = consumers.get(row.consumerId);
    if (row.status === 'sending') {
      // claimed before a crash, outcome unknown: resend under the same idempotency key
      if (consumer?.pushToken) resend.push({ row, consumer });
      else skipped.push({ id: row.id, errorCode: consumer ? 'NO_PUSH_TOKEN' : 'CONSUMER_NOT_REGISTERED' });
      continue;
    }
    if (row.status !== 'pending') continue;
    const reasons = ineligibility(consumer, policy);
    if (reasons.length > 0) skipped.push({ id: row.id, errorCode: reasons[0]! });
    else candidates.push({ row, consumer: consumer! });
  }
  const open = await deps.conversationCheck.openConversations(campaign.accountId, candidates.map((c) => c.row.consumerId));
  const eligible = candidates.filter((c) => {
    if (!open.has(c.row.consumerId)) return true;
    skipped.push({ id: c.row.id, errorCode: 'OPEN_CONVERSATION' });
    return false;
  });
  return { skipped, resend, eligible };
}

export function createDispatch(deps: ActivityDeps) {
  return async function dispatchPage(input: DispatchInput): Promise<DispatchResult> {
    let campaign = getCampaignById(deps.db, input.campaignId);
    if (!campaign) throw ApplicationFailure.nonRetryable(`campaign ${input.campaignId} not found`, 'CampaignNotFound');
    const ctx = Context.current();
    // A retry after a crash resumes from the last page the failed attempt finished, with its counts.
    const resumed = ctx.info.heartbeatDetails as DispatchResult | undefined;
    const result: DispatchResult =
      typeof resumed?.nextSeq === 'number' && resumed.nextSeq >= input.afterSeq
        ? { ...resumed, done: true }
        : { nextSeq: input.afterSeq, done: true, attempted: 0, sent: 0, failed: 0, skipped: 0 };
    if (campaign.status !== 'dispatching') return result;

    const pushConfig = getPushConfig(deps.db, campaign.accountId);
    const provider = deps.pushProviderFor(pushConfig);
    const rate = Math.min(campaign.messagesPerSecond ?? Infinity, provider.messagesPerSecond ?? Infinity);
    const pacer = new Pacer(rate, input.pace.originMs, input.pace.before);
    const paced = pacer.paced;
    // Paced: claim about a quarter second's worth at a time, so a cancel waits on few in-flight
    // sends. Unpaced: a few pools' worth, so a claim's transaction is shared by many sends.
    const claimSize = paced ? Math.min(deps.sendConcurrency, Math.max(1, Math.ceil(rate / 4))) : deps.sendConcurrency * CLAIM_POOLS;
    // Heartbeats carry the last finished page: the one in flight is re-read by a retry (its sent rows are then skipped, its claimed rows resent).
    let checkpoint: DispatchResult = { ...result };
    const heartbeat = setInterval(() => ctx.heartbeat(checkpoint), 1000);
    const began = Date.now();
    try {
      for (;;) {
        const rows = recipientPage(deps.db, campaign.id, result.nextSeq, input.pageSize);
        result.nextSeq = rows.at(-1)?.seq ?? result.nextSeq;
        result.done = rows.length < input.pageSize;
        const { skipped, resend, eligible } = await screen(deps, campaign, rows);
        recordSkipped(deps.db, skipped);
        result.skipped += skipped.length;
        const stopped = await sendAll(deps, campaign, provider, [...resend, ...eligible], resend.length, pacer, claimSize, result);
        deps.metrics.dispatchPages.inc();
        if (stopped) result.done = true;
        checkpoint = { ...result };
        // An unpaced campaign goes on to its next page here instead of a round trip through the
        // workflow (about 15 ms with nothing sent). Paced pages are already seconds long.
        if (result.done || paced || Date.now() - began >= CONTINUE_FOR_MS) break;
        // Between pages, as the workflow would: a cancel or the lookback's end stops here (skips included).
        campaign = getCampaignById(deps.db, input.campaignId);
        if (!campaign || campaign.status !== 'dispatching' || Date.now() >= (campaign.expiresAt ?? Infinity)) {
          result.done = true;
          break;
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
    return result;
  };
}

/**
 * A sliding pool of `deps.sendConcurrency` provider calls. Messages are claimed a chunk at a time
 * just before sending (so a cancel stops what is not yet claimed), and outcomes are written in
 * batches. Returns true when the campaign stopped (cancelled, lookback over, activity cancelled).
 */
async function sendAll(
  deps: ActivityDeps,
  campaign: CampaignRow,
  provider: PushProvider,
  items: ToSend[],
  preClaimed: number,
  pacer: Pacer,
  claimSize: number,
  result: DispatchResult,
): Promise<boolean> {
  const ctx = Context.current();
  const abort = ctx.cancellationSignal;
  setMaxListeners(deps.sendConcurrency + 16, abort); // every waiting worker listens for cancellation
  const expiresAt = campaign.expiresAt ?? Infinity;
  let outcomes: SendOutcome[] = [];
  let lastFlush = Date.now();
  const flush = () => {
    if (outcomes.length === 0) return;
    recordOutcomes(deps.db, outcomes);
    outcomes = [];
    lastFlush = Date.now();
  };
  let claimed: ToSend[] = items.slice(0, preClaimed);
  let next = preClaimed;
  let stopped = false;
  // One claim at a time: workers take from `claimed`, refilling it from `items` in chunks. What is
  // claimed is sent even after a stop: it was committed to before the cancel or the lookback end.
  const take = (): ToSend | undefined => {
    if (claimed.length === 0 && !stopped && !abort.aborted && next < items.length) {
      const chunk = items.slice(next, next + claimSize);
      next += chunk.length;
      const ok = claimForSending(deps.db, campaign.id, chunk.map((c) => c.row.id));
      claimed = chunk.filter((c) => ok.has(c.row.id));
      if (claimed.length < chunk.length) stopped = true; // cancelled or lookback over: nothing more
    }
    return claimed.shift();
  };

  const worker = async () => {
    // Wait for the pacing slot first, then claim: a claim made early could outlive the lookback.
    for (;;) {
      if (pacer.paced) await pacer.next(abort);
      const item = take();
      if (!item) return;
      const payload = pushPayload(
        {
          messageId: item.row.id,
          accountId: campaign.accountId,
          consumerId: item.row.consumerId,
          text: campaign.messageText,
          skill: campaign.skill,
          expiresAt,
          origin: { source: 'proactive', campaignId: campaign.id },
        },
        item.consumer,
      );
      const res = await provider.send(payload);
      result.attempted++;
      const at = Date.now();
      if (res.ok) {
        result.sent++;
        outcomes.push({ id: item.row.id, ok: true, at, expiresAt });
      } else {
        result.failed++;
        outcomes.push({ id: item.row.id, ok: false, errorCode: res.errorCode, at });
      }
      if (outcomes.length >= FLUSH_EVERY || at - lastFlush >= FLUSH_MS) flush();
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(deps.sendConcurrency, items.length) }, worker));
  } finally {
    flush();
  }
  return stopped || abort.aborted;
}
