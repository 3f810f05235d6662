import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../api/rate-limit.js';

describe('RateLimiter', () => {
  it('admits rps requests in any second per account and says when to retry', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(3, () => now);
    assert.deepEqual([1, 2, 3].map(() => limiter.take('a').ok), [true, true, true]);
    assert.deepEqual(limiter.take('a'), { ok: false, retryAfterSeconds: 1 });
    assert.equal(limiter.take('b').ok, true, 'accounts have separate budgets');
    now += 999;
    assert.equal(limiter.take('a').ok, false);
    now += 1;
    assert.equal(limiter.take('a').ok, true, 'admitted again once the window has moved on');
  });
});
