/**
 * Sliding one-second window per account: at most `rps` admitted requests in any 1000 ms. A
 * refused request is told how many whole seconds until the oldest admitted one leaves the window.
 * Kept in process memory: several API processes would each admit `rps` (see docs/operations.md).
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly rps: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const t = this.now();
    const window = (this.windows.get(key) ?? []).filter((at) => t - at < 1000);
    if (window.length >= this.rps) {
      this.windows.set(key, window);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window[0]! + 1000 - t) / 1000)) };
    }
    window.push(t);
    this.windows.set(key, window);
    return { ok: true };
  }
}
