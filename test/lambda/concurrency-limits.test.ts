/** The per-function and gateway-wide caps of `ConcurrencyLimits`, without Lambda: order, fairness, aborts, reserved concurrency. */
import { describe, expect, it } from 'vitest';
import { ConcurrencyLimits, reservedConcurrency } from '../../src/lambda/concurrency-limits.ts';

const config = { total: 1000, perFunction: 2, functions: [] };
const never = new AbortController().signal;

/** Takes a slot at once or waits for one; resolves with the order slots were granted in. */
function take(limits: ConcurrencyLimits, name: string, granted: string[], signal = never): Promise<void> {
  if (limits.tryAcquire(name)) {
    granted.push(name);
    return Promise.resolve();
  }
  return limits.wait(name, signal).then(() => {
    granted.push(name);
  });
}

describe('ConcurrencyLimits', () => {
  it('holds a function at its cap and lets another through at once', async () => {
    const limits = new ConcurrencyLimits(config);
    const granted: string[] = [];
    const waiting = [take(limits, 'slow', granted), take(limits, 'slow', granted), take(limits, 'slow', granted)];
    expect(limits.tryAcquire('quick')).toBe(true);
    expect(granted).toEqual(['slow', 'slow']);
    expect([...limits.queued()]).toEqual([['slow', 1]]);
    limits.release('slow');
    await Promise.all(waiting);
    expect(granted).toEqual(['slow', 'slow', 'slow']);
    expect(limits.inFlight()).toBe(3);
  });

  it('shares slots the total frees among waiting functions in turn', async () => {
    const limits = new ConcurrencyLimits({ total: 1, perFunction: 10, functions: [] });
    const granted: string[] = [];
    expect(limits.tryAcquire('a')).toBe(true);
    const waiting = [take(limits, 'a', granted), take(limits, 'a', granted), take(limits, 'b', granted)];
    for (let i = 0; i < 3; i += 1) {
      limits.release(granted.at(-1) ?? 'a');
      await Promise.resolve();
      await Promise.resolve();
    }
    await Promise.all(waiting);
    expect(granted).toEqual(['a', 'b', 'a']);
  });

  it('drops a waiter whose signal aborts, rejecting with its reason, and counts the time waited of the others', async () => {
    const limits = new ConcurrencyLimits({ ...config, perFunction: 1 });
    const waited: string[] = [];
    limits.onWaited = (name, ms) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      waited.push(name);
    };
    expect(limits.tryAcquire('f')).toBe(true);
    const controller = new AbortController();
    const aborted = limits.wait('f', controller.signal);
    const next = limits.wait('f', never);
    controller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    expect([...limits.queued()]).toEqual([['f', 1]]);
    limits.release('f');
    await next;
    expect(waited).toEqual(['f']);
  });

  it('takes the first matching rule, and never exceeds a known reserved concurrency (but keeps one slot for 0)', () => {
    const limits = new ConcurrencyLimits(
      { total: 1000, perFunction: 250, functions: [{ functions: ['report-*'], max: 3 }] },
      reservedConcurrency([
        { name: 'report-daily', reservedConcurrency: 1 },
        { name: 'lookup', reservedConcurrency: 0 },
        { name: 'other', reservedConcurrency: undefined },
      ]),
    );
    expect(limits.capOf('report-weekly')).toBe(3);
    expect(limits.capOf('report-daily')).toBe(1);
    expect(limits.capOf('lookup')).toBe(1);
    expect(limits.capOf('other')).toBe(250);
  });

  it('follows a reserved concurrency learned later: a lower cap holds the next calls, a higher one lets waiters in', async () => {
    const limits = new ConcurrencyLimits({ ...config, perFunction: 3 });
    const granted: string[] = [];
    expect(limits.tryAcquire('f')).toBe(true);
    expect(limits.tryAcquire('f')).toBe(true);
    limits.setReserved('f', 1);
    expect(limits.capOf('f')).toBe(1);
    // Two in flight stay in flight; the next one waits until both are back.
    const third = take(limits, 'f', granted);
    limits.release('f');
    await Promise.resolve();
    expect(granted).toEqual([]);
    limits.release('f');
    await third;
    expect(granted).toEqual(['f']);
    // Raised (or forgotten), the cap lets a waiter in without any release.
    const fourth = take(limits, 'f', granted);
    expect([...limits.queued()]).toEqual([['f', 1]]);
    limits.setReserved('f', undefined);
    await fourth;
    expect(limits.capOf('f')).toBe(3);
    expect(limits.inFlight()).toBe(2);
  });
});
