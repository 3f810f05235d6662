// Shared checks of the fault tests: the campaign's books balance, and what the sink saw matches them.
import assert from 'node:assert/strict';
import { assertBalanced, getCampaign, messageRows } from '../fixtures.js';
import type { Stack } from '../harness.js';
import type { Sink } from '../sink.js';

export interface Books {
  counts: Record<string, number>;
  rows: ReturnType<typeof messageRows>;
  /** POSTs beyond the first for a messageId: resends under the same idempotency key. */
  rePosts: number;
}

/**
 * Exactly once, as the brand's idempotent push proxy sees it: every message the books call sent
 * reached the sink under its own messageId, no other key reached it, and no consumer was sent two
 * different messages. `acked`: also no messageId was acknowledged to c2m twice.
 */
export async function assertExactlyOnce(stack: Stack, sink: Sink, c: { accountId: string; key: string; campaignId: string }, o: { acked?: boolean } = {}): Promise<Books> {
  const campaign = await getCampaign(stack, c.accountId, c.key, c.campaignId);
  const counts = campaign.counts as Record<string, number>;
  assert.ok(assertBalanced(counts), `books balance: ${JSON.stringify(counts)}`);
  assert.equal(counts.pending, 0, 'nothing left pending');
  const rows = messageRows(stack.db, c.campaignId);
  assert.equal(rows.length, counts.total);
  const sent = rows.filter((m) => m.status === 'sent');
  assert.equal(sent.length, counts.sent);

  const ours = new Set(rows.map((m) => m.id));
  const keysPerConsumer = new Map<string, Set<string>>();
  for (const q of sink.requests) {
    if (!q.idempotencyKey || !ours.has(q.idempotencyKey)) continue;
    assert.equal(q.body.messageId, q.idempotencyKey, 'the idempotency key is the messageId');
    const set = keysPerConsumer.get(q.body.consumerId) ?? new Set();
    set.add(q.idempotencyKey);
    keysPerConsumer.set(q.body.consumerId, set);
  }
  for (const [consumerId, set] of keysPerConsumer) assert.equal(set.size, 1, `${consumerId} was sent ${set.size} different messages`);

  const delivered = o.acked ? sink.acked : sink.accepted;
  for (const m of sent) assert.ok(delivered.has(m.id), `${m.id} is sent in the books but never reached the sink`);
  const deliveredOurs = [...delivered.keys()].filter((k) => ours.has(k));
  assert.equal(deliveredOurs.length, sent.length, 'the sink accepted exactly the messages the books call sent');
  if (o.acked) for (const id of deliveredOurs) assert.equal(sink.acked.get(id), 1, `${id} acknowledged ${sink.acked.get(id)} times`);

  const posts = new Map<string, number>();
  for (const q of sink.requests) if (q.idempotencyKey && ours.has(q.idempotencyKey)) posts.set(q.idempotencyKey, (posts.get(q.idempotencyKey) ?? 0) + 1);
  const rePosts = [...posts.values()].reduce((a, n) => a + n - 1, 0);
  return { counts, rows, rePosts };
}
