import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { getCampaign } from '../../db/campaigns.js';
import type { Db } from '../../db/client.js';
import { DAY_MS, campaignMessages, campaignReport, dailyCounts, deflectionReport, type MessageFilter } from '../../db/reports.js';
import { notFound } from '../errors.js';
import { decodeCursor, page } from '../pagination.js';
import { defineRoute } from '../route.js';
import {
  Analytics,
  AnalyticsQuery,
  CSV_COLUMNS,
  CampaignReport,
  DeflectionReport,
  DeflectionReportQuery,
  ReportMessagePage,
  ReportMessagesCsv,
  ReportMessagesQuery,
  messageBody,
  rangeEnd,
  rangeStart,
} from '../schemas/reports.js';

const readers = { roles: ['campaign_manager', 'admin', 'analyst'] } as const;
const base = '/v1/accounts/{accountId}/reports';

/** Rows per query while streaming CSV: bounds memory, and frees the connection between chunks. */
const CSV_CHUNK = 1000;

function campaignOf(db: Db, accountId: string, campaignId: string) {
  const row = getCampaign(db, accountId, campaignId);
  if (!row) throw notFound('campaign');
  return row;
}

/**
 * Every matching row, fetched a chunk at a time by keyset (each chunk read to the end before the
 * next write, so no statement stays open while the client is slow) and pulled by the CSV stream
 * only as fast as the socket drains.
 */
function* csvRows(db: Db, campaignId: string, filter: MessageFilter) {
  let after = 0;
  for (;;) {
    const chunk = campaignMessages(db, campaignId, filter, after, CSV_CHUNK);
    for (const row of chunk) yield messageBody(row);
    if (chunk.length < CSV_CHUNK) return;
    after = chunk[chunk.length - 1]!.seq;
  }
}

async function streamCsv(res: Response, db: Db, campaignId: string, filter: MessageFilter): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="campaign-${campaignId}-messages.csv"`);
  try {
    await pipeline(Readable.from(csvRows(db, campaignId, filter)), stringify({ header: true, columns: CSV_COLUMNS }), res);
  } catch (err) {
    // The client went away mid-download: nothing to answer, nothing went wrong here.
    if ((err as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
  }
}

export const reportRoutes = [
  defineRoute({
    method: 'get',
    path: `${base}/campaigns/{campaignId}`,
    summary: 'Campaign report: counts per stage, failure reasons, conversations created',
    tag: 'Reports',
    access: readers,
    responses: { 200: { description: 'The report', schema: CampaignReport }, 404: { description: 'No such campaign in this account' } },
    handler: ({ params, deps }) => {
      const campaign = campaignOf(deps.db, params.accountId!, params.campaignId!);
      return { status: 200, body: { campaignId: campaign.id, ...campaignReport(deps.db, campaign.id) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/campaigns/{campaignId}/messages`,
    summary: 'Per-recipient rows of a campaign report, in recipient order; Accept: text/csv streams every matching row',
    tag: 'Reports',
    access: readers,
    query: ReportMessagesQuery,
    responses: {
      200: { description: 'A page of recipients (JSON) or all of them (CSV)', schema: ReportMessagePage, alternates: { 'text/csv': ReportMessagesCsv } },
      404: { description: 'No such campaign in this account' },
    },
    handler: async ({ req, res, query, params, deps }) => {
      const campaign = campaignOf(deps.db, params.accountId!, params.campaignId!);
      const filter = { status: query.status, errorCode: query.errorCode };
      if (req.accepts(['application/json', 'text/csv']) === 'text/csv') return streamCsv(res, deps.db, campaign.id, filter);
      const after = decodeCursor<{ seq: number }>(query.cursor, ['seq']);
      const rows = campaignMessages(deps.db, campaign.id, filter, after?.seq ?? 0, query.limit + 1);
      const { items, nextCursor } = page(rows, query.limit, (r) => ({ seq: r.seq }));
      return { status: 200, body: { messages: items.map(messageBody), nextCursor } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/deflections`,
    summary: 'IVR deflection report over a time range: the same counts as a campaign report',
    tag: 'Reports',
    access: readers,
    query: DeflectionReportQuery,
    responses: { 200: { description: 'The report', schema: DeflectionReport } },
    handler: ({ query, params, deps }) => {
      const range = { from: query.from === undefined ? undefined : rangeStart(query.from), to: query.to === undefined ? undefined : rangeEnd(query.to) };
      return { status: 200, body: { from: query.from ?? null, to: query.to ?? null, ...deflectionReport(deps.db, params.accountId!, range) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: `${base}/analytics`,
    summary: 'Per UTC day: attempted, sent, failed, delivered, read, replied (optionally one source or skill)',
    tag: 'Reports',
    access: readers,
    query: AnalyticsQuery,
    responses: { 200: { description: 'One entry per day of the range', schema: Analytics } },
    handler: ({ query, params, deps }) => {
      const range = { from: rangeStart(query.from), to: rangeEnd(query.to) };
      const found = new Map(dailyCounts(deps.db, params.accountId!, range, query).map((d) => [d.day, d]));
      const days = [];
      for (let day = Math.floor(range.from / DAY_MS); day * DAY_MS < range.to; day++) {
        const d = found.get(day);
        days.push({
          date: new Date(day * DAY_MS).toISOString().slice(0, 10),
          attempted: d?.attempted ?? 0,
          sent: d?.sent ?? 0,
          failed: d?.failed ?? 0,
          delivered: d?.delivered ?? 0,
          read: d?.read ?? 0,
          replied: d?.replied ?? 0,
        });
      }
      return { status: 200, body: { from: query.from, to: query.to, source: query.source ?? null, skill: query.skill ?? null, days } };
    },
  }),
];
