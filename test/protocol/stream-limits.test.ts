/** The streamed-response limits as a pure policy: size cap, uncapped burst, then the bandwidth cap. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STREAM_LIMITS, StreamBudget } from '../../src/protocol/stream-limits.ts';

const MiB = 1024 * 1024;

describe('StreamBudget', () => {
  it('uses AWS’s limits by default: 200 MiB, 6 MiB uncapped, then 2 MiB/s', () => {
    expect(DEFAULT_STREAM_LIMITS).toStrictEqual({ maxResponseBytes: 200 * MiB, uncappedBytes: 6 * MiB, bytesPerSecond: 2 * MiB });
  });

  it('lets the first bytes go at once, then holds the rest to the cap', () => {
    const budget = new StreamBudget({ maxResponseBytes: 1000, uncappedBytes: 100, bytesPerSecond: 100 });
    expect(budget.admit(100, 0)).toStrictEqual({ ok: true, delayMs: 0 });
    // 50 capped bytes at 100 B/s: half a second after the cap began.
    expect(budget.admit(50, 0)).toStrictEqual({ ok: true, delayMs: 500 });
    expect(budget.admit(50, 200)).toStrictEqual({ ok: true, delayMs: 800 });
    // A reader that fell behind owes no extra wait.
    expect(budget.admit(10, 5000)).toStrictEqual({ ok: true, delayMs: 0 });
  });

  it('refuses what would take the response over the size limit, counting nothing of it', () => {
    const budget = new StreamBudget({ maxResponseBytes: 100, uncappedBytes: 1000, bytesPerSecond: 1 });
    expect(budget.admit(60, 0).ok).toBe(true);
    expect(budget.admit(41, 0)).toStrictEqual({ ok: false });
    expect(budget.sentBytes).toBe(60);
    expect(budget.admit(40, 0).ok).toBe(true);
  });

  it('never lets the capped part run faster than the cap, whatever the pieces and times', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 50 })), { maxLength: 60 }), (writes) => {
        const limits = { maxResponseBytes: 1e9, uncappedBytes: 10_000, bytesPerSecond: 10_000 };
        const budget = new StreamBudget(limits);
        let now = 0;
        let cappedSince: number | undefined;
        let sent = 0;
        for (const [bytes, gap] of writes) {
          now += gap;
          const admission = budget.admit(bytes, now);
          if (!admission.ok) throw new Error('refused below the size limit');
          sent += bytes;
          const goesAt = now + admission.delayMs;
          if (sent > limits.uncappedBytes) {
            cappedSince ??= now;
            const capped = sent - limits.uncappedBytes;
            expect(goesAt - cappedSince).toBeGreaterThanOrEqual((capped / limits.bytesPerSecond) * 1000 - 1e-6);
          }
          // Sending waits for the hold, so time moves on to when the bytes went.
          now = goesAt;
        }
      }),
    );
  });
});
