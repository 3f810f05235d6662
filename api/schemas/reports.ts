import { DAY_MS, type MessageRow } from '../../db/reports.js';
import { ERROR_CODES, MESSAGE_STATUSES } from '../../db/schema.js';
import { PageQuery, iso, z } from './common.js';

/** Statuses as the API shows them: the internal 'sending' reads as pending. */
export const REPORT_STATUSES = MESSAGE_STATUSES.filter((s) => s !== 'sending') as Exclude<(typeof MESSAGE_STATUSES)[number], 'sending'>[];

export const MAX_ANALYTICS_DAYS = 366;

const count = z.number().int();

const reportFields = {
  attempted: count.describe('Recipients: pending + sent + failed + expired + cancelled.'),
  pending: count.describe('Not yet resolved (includes messages whose provider call is in flight).'),
  sent: count.describe('Reached the provider: includes delivered, read and replied.'),
  failed: count,
  delivered: count.describe('Delivery receipt, or a read receipt (which implies delivery).'),
  read: count,
  replied: count,
  expired: count.describe('The lookback ended before the message could be sent.'),
  cancelled: count,
  conversationsCreated: count.describe('Conversations linked to these messages.'),
  failureReasons: z.partialRecord(z.enum(ERROR_CODES), count).describe('Failed messages per errorCode; codes with none are left out.'),
};

export const CampaignReport = z.object({ campaignId: z.string(), ...reportFields }).openapi('CampaignReport');

export const ReportMessage = z
  .object({
    messageId: z.string(),
    consumerId: z.string(),
    status: z.enum(REPORT_STATUSES),
    errorCode: z.enum(ERROR_CODES).nullable(),
    sentAt: z.string().nullable(),
    deliveredAt: z.string().nullable().describe('The delivery receipt, else the read receipt.'),
    readAt: z.string().nullable(),
    repliedAt: z.string().nullable(),
    conversationId: z.string().nullable(),
  })
  .openapi('ReportMessage');

export const ReportMessagePage = z.object({ messages: z.array(ReportMessage), nextCursor: z.string().nullable() }).openapi('ReportMessagePage');

export const CSV_COLUMNS = Object.keys(ReportMessage.shape) as (keyof z.infer<typeof ReportMessage>)[];

export const ReportMessagesCsv = z
  .string()
  .openapi('ReportMessagesCsv', { description: `Every matching recipient, one line each after a header: ${CSV_COLUMNS.join(',')}. limit and cursor do not apply.` });

export const ReportMessagesQuery = PageQuery.extend({
  status: z.enum(REPORT_STATUSES).optional().describe('The message status exactly as shown (pending includes in-flight sends).'),
  errorCode: z.enum(ERROR_CODES).optional(),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** A date means its whole UTC day; a date-time is an instant. Both ends are inclusive. */
export const rangeStart = (s: string) => Date.parse(DATE.test(s) ? `${s}T00:00:00Z` : s);
export const rangeEnd = (s: string) => (DATE.test(s) ? Date.parse(`${s}T00:00:00Z`) + DAY_MS : Date.parse(s) + 1);

type RangeInput = { from?: string | undefined; to?: string | undefined };

function checkRange(maxDays?: number) {
  return (q: RangeInput, ctx: z.core.$RefinementCtx<RangeInput>) => {
    if (q.from === undefined || q.to === undefined) return;
    const [from, to] = [rangeStart(q.from), rangeEnd(q.to)];
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    else if (maxDays && to - from > maxDays * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxDays} days` });
  };
}

const rangeField = (what: string) => DayOrInstant.describe(`${what}: ISO date (its whole UTC day) or date-time; inclusive.`);

export const DeflectionReportQuery = z
  .strictObject({ from: rangeField('Start, by the time the deflection was requested').optional(), to: rangeField('End').optional() })
  .superRefine(checkRange());

export const DeflectionReport = z
  .object({ from: z.string().nullable(), to: z.string().nullable(), ...reportFields })
  .openapi('DeflectionReport', { description: 'The campaign report counts over IVR deflections requested in the range (open ends: all).' });

export const AnalyticsQuery = z
  .strictObject({
    from: rangeField('First day'),
    to: rangeField(`Last day (at most ${MAX_ANALYTICS_DAYS} days after from)`),
    source: z.enum(['proactive', 'ivr']).optional(),
    skill: z.string().min(1).max(255).optional(),
  })
  .superRefine(checkRange(MAX_ANALYTICS_DAYS));

export const AnalyticsDay = z.object({
  date: z.string().describe('UTC day, YYYY-MM-DD'),
  attempted: count,
  sent: count,
  failed: count,
  delivered: count,
  read: count,
  replied: count,
});

export const Analytics = z
  .object({
    from: z.string(),
    to: z.string(),
    source: z.enum(['proactive', 'ivr']).nullable(),
    skill: z.string().nullable(),
    days: z.array(AnalyticsDay).describe('Every UTC day of the range, zeros included; messages counted on the day they were created.'),
  })
  .openapi('Analytics');

export function messageBody(row: MessageRow): z.infer<typeof ReportMessage> {
  return {
    messageId: row.messageId,
    consumerId: row.consumerId,
    status: row.status as z.infer<typeof ReportMessage>['status'],
    errorCode: row.errorCode,
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    readAt: iso(row.readAt),
    repliedAt: iso(row.repliedAt),
    conversationId: row.conversationId,
  };
}
