import type { DeflectionRow } from '../../db/deflections.js';
import { ERROR_CODES } from '../../db/schema.js';
import { iso, Label, z } from './common.js';

const ConsumerId = z.string().min(1).max(128);

export const EligibilityRequest = z.strictObject({ handoffId: z.string().min(1).max(64), consumerId: ConsumerId }).openapi('IvrEligibilityRequest');

export const Eligibility = z
  .object({
    eligible: z.boolean(),
    availableChannels: z.array(z.literal('app')),
    reasons: z.array(z.enum(ERROR_CODES)).describe('Empty when eligible. Open conversations are not checked here.'),
  })
  .openapi('IvrEligibility');

export const DeflectionRequest = z
  .strictObject({
    handoffId: z.string().min(1).max(64),
    consumerId: ConsumerId,
    callId: z.string().min(1).max(255).optional().describe('Idempotency key: the same callId returns the same deflection.'),
    ivrNumber: z.string().min(1).max(64).optional(),
    skill: Label().optional().describe("Overrides the handoff's skill."),
  })
  .openapi('IvrDeflectionRequest');

export const DeflectionAccepted = z.object({ deflectionId: z.string(), status: z.literal('accepted') }).openapi('IvrDeflectionAccepted');

export const Deflection = z
  .object({
    deflectionId: z.string(),
    status: z.enum(['accepted', 'sent', 'completed', 'failed']),
    errorCode: z.enum(ERROR_CODES).nullable(),
    handoffId: z.string(),
    consumerId: z.string(),
    callId: z.string().nullable(),
    ivrNumber: z.string().nullable(),
    skill: z.string(),
    source: z.literal('ivr'),
    messageId: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    workflowId: z.string(),
  })
  .openapi('IvrDeflection');

export function deflectionBody(d: DeflectionRow): z.infer<typeof Deflection> {
  return {
    deflectionId: d.id,
    status: d.status as z.infer<typeof Deflection>['status'],
    errorCode: d.errorCode as z.infer<typeof Deflection>['errorCode'],
    handoffId: d.handoffId,
    consumerId: d.consumerId,
    callId: d.callId,
    ivrNumber: d.ivrNumber,
    skill: d.skill,
    source: 'ivr',
    messageId: d.messageId,
    createdAt: iso(d.createdAt)!,
    sentAt: iso(d.sentAt),
    expiresAt: iso(d.expiresAt),
    completedAt: iso(d.completedAt),
    workflowId: d.workflowId,
  };
}
