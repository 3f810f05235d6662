import type { Request } from 'express';
import { campaignCounts, countsByCampaign } from '../../db/messages.js';
import { deleteCampaign, findIdempotent, getCampaign, insertCampaign, listCampaigns } from '../../db/campaigns.js';
import { getHandoff } from '../../db/handoffs.js';
import { newId } from '../../db/ids.js';
import type { Config } from '../../worker/config.js';
import type { CampaignInput } from '../../workflows/campaign.js';
import { cancelCampaignUpdate, startAttributes, workflowIdFor } from '../../workflows/messages.js';
import type { AppDeps } from '../context.js';
import { asConflict, startOrRollback } from '../engine.js';
import { ApiError, notFound, type FieldError } from '../errors.js';
import { decodeCursor, page } from '../pagination.js';
import { defineRoute, type RouteDef } from '../route.js';
import { CONSUMER_ID_MAX, Campaign, CampaignAccepted, CampaignList, CampaignListQuery, campaignBody, campaignCreate } from '../schemas/campaigns.js';
import { isPlainText } from '../schemas/common.js';

type FailedConsumer = { consumerId: string; errorCode: 'DUPLICATE_CONSUMER' | 'INVALID_CONSUMER_ID' };

/** Valid, first-seen IDs in request order; everything else reported per consumer. */
export function screenConsumers(items: unknown[]): { accepted: string[]; failed: FailedConsumer[] } {
  const seen = new Set<string>();
  const accepted: string[] = [];
  const failed: FailedConsumer[] = [];
  for (const item of items) {
    const id = (item as { consumerId?: unknown } | null)?.consumerId;
    const valid =
      typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length === 1 &&
      typeof id === 'string' && id.length >= 1 && id.length <= CONSUMER_ID_MAX && id.trim() === id && isPlainText(id);
    if (!valid) failed.push({ consumerId: typeof id === 'string' ? id : JSON.stringify(id ?? null), errorCode: 'INVALID_CONSUMER_ID' });
    else if (seen.has(id)) failed.push({ consumerId: id, errorCode: 'DUPLICATE_CONSUMER' });
    else (seen.add(id), accepted.push(id));
  }
  return { accepted, failed };
}

function idempotencyKey(req: Request): string | undefined {
  const key = req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > 255) {
    throw new ApiError('INVALID_REQUEST', 'Idempotency-Key must be 1–255 characters', [{ path: 'header.Idempotency-Key', message: '1–255 characters' }]);
  }
  return key;
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') === true;

async function createCampaign(deps: AppDeps, accountId: string, body: ReturnType<ReturnType<typeof campaignCreate>['parse']>, key: string | undefined) {
  const replay = key ? findIdempotent(deps.db, accountId, 'campaigns', key) : undefined;
  if (replay) return { status: replay.statusCode, body: replay.response };

  const handoff = body.handoffId ? getHandoff(deps.db, accountId, body.handoffId) : undefined;
  const errors: FieldError[] = [];
  if (body.handoffId && !handoff) errors.push({ path: 'handoffId', message: 'no such handoff in this account' });
  const skill = body.skill ?? handoff?.skill;
  const text = body.message?.text ?? handoff?.messageText;
  const lookbackSeconds = body.lookbackSeconds ?? handoff?.lookbackSeconds;
  for (const [path, value] of [['skill', skill], ['message', text], ['lookbackSeconds', lookbackSeconds]] as const) {
    if (value === undefined && !(body.handoffId && !handoff)) errors.push({ path, message: 'required (or name a handoff that gives it)' });
  }
  const { accepted, failed } = screenConsumers(body.consumers);
  if (accepted.length === 0) errors.push({ path: 'consumers', message: 'no valid consumer ID' });
  if (errors.length) throw new ApiError('INVALID_REQUEST', `the body has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`, errors);

  const now = Date.now();
  const campaignId = newId('cmp');
  const workflowId = workflowIdFor.campaign(accountId, campaignId);
  const startAt = body.startAt ? Date.parse(body.startAt) : now;
  const response = { campaignId, status: 'scheduled' as const, acceptedConsumers: accepted.length, failedConsumers: failed, workflowId };
  try {
    insertCampaign(
      deps.db,
      {
        id: campaignId,
        accountId,
        name: body.campaignName,
        skill: skill!,
        engagementName: body.engagementName ?? handoff?.engagementName ?? null,
        handoffId: handoff?.id ?? null,
        messageText: text!,
        lookbackSeconds: lookbackSeconds!,
        pushLoggedIn: body.pushPolicy?.loggedIn ?? handoff?.pushLoggedIn ?? true,
        pushLoggedOut: body.pushPolicy?.loggedOut ?? handoff?.pushLoggedOut ?? true,
        messagesPerSecond: body.pacing?.messagesPerSecond ?? null,
        status: 'scheduled',
        total: accepted.length,
        startAt,
        createdAt: now,
        workflowId,
      },
      accepted,
      key ? { scope: 'campaigns', key, statusCode: 202, response } : undefined,
    );
  } catch (err) {
    // The same Idempotency-Key raced us and won: answer what it answered.
    const winner = key && isUniqueViolation(err) ? findIdempotent(deps.db, accountId, 'campaigns', key) : undefined;
    if (winner) return { status: winner.statusCode, body: winner.response };
    throw err;
  }

  const input: CampaignInput = { accountId, campaignId, startAt, messagesPerSecond: body.pacing?.messagesPerSecond ?? null };
  await startOrRollback(
    () =>
      deps.temporal.workflow.start('campaignWorkflow', {
        taskQueue: deps.config.temporal.taskQueue,
        workflowId,
        args: [input],
        memo: { campaignName: body.campaignName },
        typedSearchAttributes: startAttributes(accountId, campaignId, 'proactive', 'scheduled'),
      }),
    () => deleteCampaign(deps.db, campaignId),
  );
  return { status: 202, body: response };
}

const readers = ['campaign_manager', 'admin', 'analyst'] as const;

export function campaignRoutes(config: Config): RouteDef[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/accounts/{accountId}/campaigns',
      summary: 'Create a proactive campaign for 1 to 100,000 consumers (Idempotency-Key honoured)',
      tag: 'Campaigns',
      access: { roles: ['campaign_manager', 'admin'] },
      rateLimited: true,
      body: campaignCreate(config),
      responses: { 202: { description: 'Accepted; dispatch runs as a workflow', schema: CampaignAccepted } },
      handler: ({ req, body, params, deps }) => createCampaign(deps, params.accountId!, body, idempotencyKey(req)),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/accounts/{accountId}/campaigns',
      summary: 'List campaigns, newest first',
      tag: 'Campaigns',
      access: { roles: readers },
      query: CampaignListQuery,
      responses: { 200: { description: 'A page of campaigns', schema: CampaignList } },
      handler: ({ query, params, deps }) => {
        const after = decodeCursor<{ createdAt: number; id: string }>(query.cursor, ['createdAt', 'id']);
        const rows = listCampaigns(deps.db, params.accountId!, { status: query.status, limit: query.limit, after });
        const { items, nextCursor } = page(rows, query.limit, (r) => ({ createdAt: r.createdAt, id: r.id }));
        const counts = countsByCampaign(deps.db, items.map((r) => r.id));
        const empty = { total: 0, pending: 0, sent: 0, failed: 0, delivered: 0, read: 0, replied: 0, expired: 0, cancelled: 0 };
        return { status: 200, body: { campaigns: items.map((r) => campaignBody(r, counts.get(r.id) ?? empty)), nextCursor } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/accounts/{accountId}/campaigns/{campaignId}',
      summary: 'A campaign with its counts',
      tag: 'Campaigns',
      access: { roles: readers },
      responses: { 200: { description: 'The campaign', schema: Campaign } },
      handler: ({ params, deps }) => {
        const row = getCampaign(deps.db, params.accountId!, params.campaignId!);
        if (!row) throw notFound('campaign');
        return { status: 200, body: campaignBody(row, campaignCounts(deps.db, row.id)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/accounts/{accountId}/campaigns/{campaignId}/cancel',
      summary: 'Cancel: pending recipients become cancelled; answered once nothing more will be sent',
      tag: 'Campaigns',
      access: { roles: ['campaign_manager', 'admin'] },
      responses: { 200: { description: 'Cancelled', schema: Campaign }, 409: { description: 'The campaign has already ended' } },
      handler: async ({ params, deps }) => {
        const row = getCampaign(deps.db, params.accountId!, params.campaignId!);
        if (!row) throw notFound('campaign');
        if (['completed', 'cancelled', 'failed'].includes(row.status)) throw new ApiError('CONFLICT', `campaign is ${row.status}`);
        await deps.temporal.workflow
          .getHandle(row.workflowId)
          .executeUpdate(cancelCampaignUpdate)
          .catch((err) => asConflict(err, 'campaign has already ended'));
        const after = getCampaign(deps.db, params.accountId!, params.campaignId!)!;
        return { status: 200, body: campaignBody(after, campaignCounts(deps.db, after.id)) };
      },
    }),
  ];
}
