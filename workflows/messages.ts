// Signals, queries, updates and search attributes: defined once, imported by workflows, API and tests.
import { defineSearchAttributeKey } from '@temporalio/common';

export const TASK_QUEUE_DEFAULT = 'c2m';

/** Registered on the embedded dev server at start (scripts/temporal.ts) and by `npm run temporal:setup`. */
export const SA = {
  accountId: defineSearchAttributeKey('C2mAccountId', 'KEYWORD'),
  campaignId: defineSearchAttributeKey('C2mCampaignId', 'KEYWORD'),
  source: defineSearchAttributeKey('C2mSource', 'KEYWORD'),
  status: defineSearchAttributeKey('C2mStatus', 'KEYWORD'),
} as const;
export const SEARCH_ATTRIBUTES = Object.values(SA);
