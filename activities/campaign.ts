import { ApplicationFailure, Context } from '@temporalio/activity';
import { getCampaignById, markActive, markCancelled, markCompleted, markDispatching, markFailed, type CampaignRow } from '../db/campaigns.js';
import { campaignCounts, sendingCount, type Counts } from '../db/messages.js';
import type { ActivityDeps } from './index.js';

export interface CampaignState {
  status: CampaignRow['status'];
  startedAt: number | null;
  expiresAt: number | null;
  counts: Counts;
}

const state = (deps: ActivityDeps, row: CampaignRow | undefined, campaignId: string): CampaignState => {
  const current = row ?? getCampaignById(deps.db, campaignId);
  if (!current) throw ApplicationFailure.nonRetryable(`campaign ${campaignId} not found`, 'CampaignNotFound');
  return { status: current.status, startedAt: current.startedAt, expiresAt: current.expiresAt, counts: campaignCounts(deps.db, campaignId) };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Campaign state transitions, each idempotent: a retried activity finds the step done. */
export function createCampaignActivities(deps: ActivityDeps) {
  return {
    async startDispatch(campaignId: string): Promise<CampaignState> {
      return state(deps, markDispatching(deps.db, campaignId), campaignId);
    },
    async finishDispatch(campaignId: string): Promise<CampaignState> {
      return state(deps, markActive(deps.db, campaignId), campaignId);
    },
    async completeCampaign(campaignId: string): Promise<CampaignState> {
      return state(deps, markCompleted(deps.db, campaignId), campaignId);
    },
    async failCampaign(campaignId: string): Promise<CampaignState> {
      return state(deps, markFailed(deps.db, campaignId), campaignId);
    },
    /**
     * Stops claims and cancels pending recipients in one transaction, then waits until the sends
     * already claimed have their outcome recorded: when this returns, nothing more will be sent.
     */
    async cancelCampaign(campaignId: string): Promise<CampaignState> {
      markCancelled(deps.db, campaignId);
      const deadline = Date.now() + 60_000;
      while (sendingCount(deps.db, campaignId) > 0 && Date.now() < deadline) {
        Context.current().heartbeat();
        await sleep(50);
      }
      return state(deps, undefined, campaignId);
    },
  };
}
