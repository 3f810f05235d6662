import { ineligibility } from '../../activities/eligibility.js';
import { getConsumer } from '../../db/consumers.js';
import { deleteDeflection, getDeflection, insertDeflection } from '../../db/deflections.js';
import { getHandoff, type HandoffRow } from '../../db/handoffs.js';
import { newId } from '../../db/ids.js';
import type { DeflectionInput } from '../../workflows/deflection.js';
import { startAttributes, workflowIdFor } from '../../workflows/messages.js';
import type { AppDeps } from '../context.js';
import { startOrRollback } from '../engine.js';
import { ApiError, notFound } from '../errors.js';
import { defineRoute } from '../route.js';
import { Deflection, DeflectionAccepted, DeflectionRequest, Eligibility, EligibilityRequest, deflectionBody } from '../schemas/ivr.js';

const ivr = { roles: ['ivr', 'admin'] } as const;

function handoffFor(deps: AppDeps, accountId: string, handoffId: string): HandoffRow {
  const handoff = getHandoff(deps.db, accountId, handoffId);
  if (!handoff) throw new ApiError('INVALID_REQUEST', 'unknown handoff', [{ path: 'handoffId', message: 'no such handoff in this account' }]);
  if (!handoff.channels.includes('app')) throw new ApiError('CHANNEL_NOT_SUPPORTED', 'the handoff has no app channel');
  return handoff;
}

export const ivrRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/ivr/eligibility',
    summary: 'Can this caller be reached in the app? (Open conversations are not checked, as the reference platform.)',
    tag: 'IVR',
    access: ivr,
    rateLimited: true,
    body: EligibilityRequest,
    responses: { 200: { description: 'The verdict and every reason against', schema: Eligibility } },
    handler: ({ body, params, deps }) => {
      const handoff = handoffFor(deps, params.accountId!, body.handoffId);
      const consumer = getConsumer(deps.db, params.accountId!, body.consumerId);
      const reasons = ineligibility(consumer, { loggedIn: handoff.pushLoggedIn, loggedOut: handoff.pushLoggedOut });
      return { status: 200, body: { eligible: reasons.length === 0, availableChannels: reasons.length === 0 ? ['app' as const] : [], reasons } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/accounts/{accountId}/ivr/deflections',
    summary: 'Deflect a caller to app messaging: one workflow, at most one push per callId',
    tag: 'IVR',
    access: ivr,
    rateLimited: true,
    body: DeflectionRequest,
    responses: { 202: { description: 'Accepted (also when an open conversation will stop the push)', schema: DeflectionAccepted } },
    handler: async ({ body, params, deps }) => {
      const accountId = params.accountId!;
      const handoff = handoffFor(deps, accountId, body.handoffId);
      const deflectionId = newId('dfl');
      const { row, created } = insertDeflection(deps.db, {
        id: deflectionId,
        accountId,
        handoffId: handoff.id,
        consumerId: body.consumerId,
        callId: body.callId ?? null,
        ivrNumber: body.ivrNumber ?? null,
        skill: body.skill ?? handoff.skill,
        engagementName: handoff.engagementName,
        handoffName: handoff.name,
        messageText: handoff.messageText,
        lookbackSeconds: handoff.lookbackSeconds,
        pushLoggedIn: handoff.pushLoggedIn,
        pushLoggedOut: handoff.pushLoggedOut,
        status: 'accepted',
        messageId: `msg_${deflectionId.slice(4)}`,
        createdAt: Date.now(),
        workflowId: workflowIdFor.deflection(accountId, deflectionId),
      });
      // Every request for the call starts "its" workflow; USE_EXISTING makes the racers share one.
      const input: DeflectionInput = { accountId, deflectionId: row.id };
      await startOrRollback(
        () =>
          deps.temporal.workflow.start('deflectionWorkflow', {
            taskQueue: deps.config.temporal.taskQueue,
            workflowId: row.workflowId,
            workflowIdConflictPolicy: 'USE_EXISTING',
            args: [input],
            memo: { handoffName: handoff.name, callId: row.callId },
            typedSearchAttributes: startAttributes(accountId, row.id, 'ivr', 'accepted'),
          }),
        () => created && deleteDeflection(deps.db, row.id),
      );
      return { status: 202, body: { deflectionId: row.id, status: 'accepted' as const } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/accounts/{accountId}/ivr/deflections/{deflectionId}',
    summary: 'A deflection: status, errorCode, times, workflowId',
    tag: 'IVR',
    access: { roles: ['ivr', 'admin', 'campaign_manager', 'analyst'] },
    responses: { 200: { description: 'The deflection', schema: Deflection } },
    handler: ({ params, deps }) => {
      const row = getDeflection(deps.db, params.accountId!, params.deflectionId!);
      if (!row) throw notFound('deflection');
      return { status: 200, body: deflectionBody(row) };
    },
  }),
];
