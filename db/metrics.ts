import type { Db } from './client.js';

// Whole-table aggregates for the operators' /metrics scrape: one GROUP BY each, no per-row work
// in JavaScript.

export function messagesByStatus(db: Db) {
  return db.$client
    .prepare(`select source, status, error_code as errorCode, count(*) as n from messages group by source, status, error_code`)
    .all() as { source: string; status: string; errorCode: string | null; n: number }[];
}

export function campaignsByStatus(db: Db) {
  return db.$client.prepare(`select status, count(*) as n from campaigns group by status`).all() as { status: string; n: number }[];
}
