// Signals, queries, updates and search attributes: defined once, imported by workflows, API and tests.
import { defineSearchAttributeKey } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const TASK_QUEUE_DEFAULT = 'c2m';

/** Registered on the embedded dev server at start (scripts/temporal.ts) and by `npm run temporal:setup`. */
export const SA = {
  accountId: defineSearchAttributeKey('C2mAccountId', 'KEYWORD'),
  campaignId: defineSearchAttributeKey('C2mCampaignId', 'KEYWORD'),
  source: defineSearchAttributeKey('C2mSource', 'KEYWORD'),
  status: defineSearchAttributeKey('C2mStatus', 'KEYWORD'),
} as const;
export const SEARCH_ATTRIBUTES = Object.values(SA);

export type CampaignPhase = 'scheduled' | 'dispatching' | 'active' | 'completed' | 'cancelled' | 'failed';

/** Live view of a campaign run (the database holds the per-recipient truth). */
export interface CampaignProgress {
  campaignId: string;
  status: CampaignPhase;
  /** Highest recipient position dispatched so far. */
  cursor: number;
  pages: number;
  attempted: number;
  sent: number;
  failed: number;
  skipped: number;
  expiresAt: number | null;
}

export const campaignProgressQuery = defineQuery<CampaignProgress>('progress');

/**
 * Cancel, acknowledged only once pending recipients are cancelled and sends already in flight have
 * settled: after it returns nothing more is sent. Rejected (validator) once the campaign has ended.
 */
export const cancelCampaignUpdate = defineUpdate<CampaignProgress>('cancel');

export const workflowIdFor = {
  campaign: (accountId: string, campaignId: string) => `campaign/${accountId}/${campaignId}`,
  deflection: (accountId: string, deflectionId: string) => `ivr/${accountId}/${deflectionId}`,
};

/** The consumer replied inside the deflection's lookback: its job is done, it may close early. */
export const deflectionRepliedSignal = defineSignal('replied');

/** The search attributes a campaign or deflection workflow starts with (Temporal UI filters). */
export const startAttributes = (accountId: string, recordId: string, source: 'proactive' | 'ivr', status: string) => [
  { key: SA.accountId, value: accountId },
  { key: SA.campaignId, value: recordId },
  { key: SA.source, value: source },
  { key: SA.status, value: status },
];
