/**
 * Spaces sends `1000 / rate` ms apart on a schedule that continues across pages: `origin` is when
 * dispatch began and `before` how many sends came earlier. After a pause (a crash, a slow page) it
 * catches up by at most `maxBurstMs` worth of sends, never by a flood.
 */
export class Pacer {
  private k = 0;
  private readonly base: number;
  private readonly interval: number;

  constructor(rate: number, origin: number, before: number, now = Date.now(), maxBurstMs = 250) {
    this.interval = Number.isFinite(rate) && rate > 0 ? 1000 / rate : 0;
    this.base = Math.max(origin + before * this.interval, now - maxBurstMs);
  }

  /** False at an unlimited rate: callers may skip `next()` and its promise per send. */
  get paced(): boolean {
    return this.interval > 0;
  }

  /** Resolves when the next send is due. */
  async next(signal?: AbortSignal): Promise<void> {
    if (this.interval === 0) return;
    const due = this.base + this.k++ * this.interval;
    const wait = due - Date.now();
    if (wait > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const t = setTimeout(done, wait);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}
