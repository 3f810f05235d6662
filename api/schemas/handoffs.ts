import type { Config } from '../../worker/config.js';
import { withCode } from '../errors.js';
import { IsoTimestamp, lookbackSeconds, MessageContent, PushPolicy, Label, z } from './common.js';

export const CHANNELS = ['app', 'sms', 'whatsapp'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What this deployment can send on; the others are accepted by the contract but not deliverable here. */
export const SENDABLE_CHANNELS: readonly Channel[] = ['app'];

const isDistinct = (channels: Channel[]) => new Set(channels).size === channels.length;
const mixesAppWithOthers = (channels: Channel[]) => channels.includes('app') && channels.some((c) => c !== 'app');

export const ChannelList = z
  .array(z.enum(CHANNELS))
  .min(1)
  .refine(isDistinct, { message: 'channels must not repeat' })
  .refine((c) => !mixesAppWithOthers(c), withCode('CHANNEL_CONFLICT', "'app' may not stand with 'sms' or 'whatsapp'"))
  // A conflict is the more useful answer; reporting both would hide it behind INVALID_REQUEST.
  .refine(
    (c) => mixesAppWithOthers(c) || c.every((ch) => SENDABLE_CHANNELS.includes(ch)),
    withCode('CHANNEL_NOT_SUPPORTED', `this deployment can only send on: ${SENDABLE_CHANNELS.join(', ')}`),
  )
  .describe('Ordered by priority.');

const text255 = () => Label();

const HandoffName = text255().refine((n) => !/[<>]/.test(n), { message: "must not contain '<' or '>'" });

/**
 * Every rule is local to one field, so a valid patch over a stored row is a valid row: PATCH can
 * check the body alone, and the update needs no read-modify-write.
 */
function handoffFields(config: Config) {
  return {
    name: HandoffName,
    channels: ChannelList,
    skill: text255(),
    // null is what GET shows for "unset", so it round-trips (and clears it on PATCH).
    engagementName: text255().nullable().optional(),
    message: MessageContent,
    lookbackSeconds: lookbackSeconds(config),
    pushPolicy: PushPolicy,
  };
}

export const handoffCreate = (config: Config) => z.strictObject(handoffFields(config)).openapi('HandoffCreate');
export type HandoffCreate = z.output<ReturnType<typeof handoffCreate>>;

export const handoffPatch = (config: Config) =>
  z.strictObject(handoffFields(config)).partial().openapi('HandoffPatch', { description: 'Any subset of the fields of HandoffCreate.' });
export type HandoffPatch = z.output<ReturnType<typeof handoffPatch>>;

export const Handoff = z
  .object({
    handoffId: z.string(),
    name: z.string(),
    channels: z.array(z.enum(CHANNELS)),
    skill: z.string(),
    engagementName: z.string().nullable(),
    message: MessageContent,
    lookbackSeconds: z.number().int(),
    pushPolicy: PushPolicy,
    createdAt: IsoTimestamp,
    updatedAt: IsoTimestamp,
  })
  .openapi('Handoff');

export const HandoffList = z.object({ handoffs: z.array(Handoff), nextCursor: z.string().nullable() }).openapi('HandoffList');
