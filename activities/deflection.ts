import { ApplicationFailure } from '@temporalio/activity';
import { getConsumer } from '../db/consumers.js';
import {
  claimDeflectionMessage,
  completeDeflection,
  failDeflection,
  getDeflectionById,
  markDeflectionSent,
  type DeflectionStatus,
} from '../db/deflections.js';
import { getPushConfig } from '../db/push-config.js';
import type { ActivityDeps } from './index.js';
import { ineligibility } from './eligibility.js';
import { pushPayload } from './push/payload.js';

export interface DeflectionOutcome {
  status: DeflectionStatus;
  errorCode: string | null;
  expiresAt: number | null;
}

export function createDeflectionActivities(deps: ActivityDeps) {
  const load = (deflectionId: string) => {
    const d = getDeflectionById(deps.db, deflectionId);
    if (!d) throw ApplicationFailure.nonRetryable(`deflection ${deflectionId} not found`, 'DeflectionNotFound');
    return d;
  };
  const outcome = (deflectionId: string): DeflectionOutcome => {
    const d = load(deflectionId);
    return { status: d.status as DeflectionStatus, errorCode: d.errorCode, expiresAt: d.expiresAt };
  };

  return {
    /**
     * Eligibility (here the open conversation counts: the IVR is never told, the push is just not
     * sent), then at most one provider call. A retry after a crash finds the message resolved, or
     * claimed and resends it under the same idempotency key.
     */
    async sendDeflection(deflectionId: string): Promise<DeflectionOutcome> {
      const d = load(deflectionId);
      if (d.status !== 'accepted') return outcome(deflectionId);
      const consumer = getConsumer(deps.db, d.accountId, d.consumerId);
      const reasons = ineligibility(consumer, { loggedIn: d.pushLoggedIn, loggedOut: d.pushLoggedOut });
      const open = reasons.length === 0 && (await deps.conversationCheck.openConversations(d.accountId, [d.consumerId])).has(d.consumerId);
      if (reasons.length > 0 || open) {
        failDeflection(deps.db, d, reasons[0] ?? 'OPEN_CONVERSATION');
        return outcome(deflectionId);
      }
      if (!claimDeflectionMessage(deps.db, d)) return outcome(deflectionId);
      const provider = deps.pushProviderFor(getPushConfig(deps.db, d.accountId));
      const now = Date.now();
      const expiresAt = now + d.lookbackSeconds * 1000;
      const res = await provider.send(
        pushPayload(
          {
            messageId: d.messageId,
            accountId: d.accountId,
            consumerId: d.consumerId,
            text: d.messageText,
            skill: d.skill,
            expiresAt,
            origin: { source: 'ivr', deflectionId: d.id },
          },
          consumer!,
        ),
      );
      if (res.ok) markDeflectionSent(deps.db, d, now);
      else failDeflection(deps.db, d, res.errorCode);
      return outcome(deflectionId);
    },
    async completeDeflection(deflectionId: string): Promise<DeflectionOutcome> {
      completeDeflection(deps.db, deflectionId);
      return outcome(deflectionId);
    },
  };
}
