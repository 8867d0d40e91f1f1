/** `ReservedConcurrencyLearner` with a reader the test answers and a clock it drives. */
import { describe, expect, it } from 'vitest';
import { ReservedConcurrencyLearner } from '../../src/lambda/reserved-concurrency.ts';

function setUp() {
  const asked: { name: string; answer: (reserved: number | undefined) => void; fail: (error: Error) => void; signal: AbortSignal }[] = [];
  const set: [string, number | undefined][] = [];
  let clock = 0;
  const learner = new ReservedConcurrencyLearner(
    (name, signal) =>
      new Promise((resolve, reject) => {
        asked.push({ name, answer: resolve, fail: reject, signal });
      }),
    { setReserved: (name, reserved) => set.push([name, reserved]) },
    { refreshMs: 1000, now: () => clock },
  );
  return { learner, asked, set, advance: (ms: number) => (clock += ms) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReservedConcurrencyLearner', () => {
  it('asks once per function, hands the answer to the limits, and asks again only after refreshMs', async () => {
    const { learner, asked, set, advance } = setUp();
    learner.observe('a');
    learner.observe('a');
    learner.observe('b');
    expect(asked.map((call) => call.name)).toEqual(['a', 'b']);
    asked[0]?.answer(3);
    asked[1]?.answer(undefined);
    await settle();
    expect(set).toEqual([
      ['a', 3],
      ['b', undefined],
    ]);
    advance(999);
    learner.observe('a');
    expect(asked).toHaveLength(2);
    advance(1);
    learner.observe('a');
    expect(asked.map((call) => call.name)).toEqual(['a', 'b', 'a']);
  });

  it('leaves the cap alone when Lambda does not answer, and does not ask again before refreshMs', async () => {
    const { learner, asked, set, advance } = setUp();
    learner.observe('a');
    asked[0]?.fail(Object.assign(new Error('no permission'), { name: 'AccessDeniedException' }));
    await settle();
    expect(set).toEqual([]);
    learner.observe('a');
    expect(asked).toHaveLength(1);
    advance(1000);
    learner.observe('a');
    expect(asked).toHaveLength(2);
  });

  it('abandons the lookups under way when closed, and neither asks nor sets anything after', async () => {
    const { learner, asked, set } = setUp();
    learner.observe('a');
    learner.close();
    expect(asked[0]?.signal.aborted).toBe(true);
    asked[0]?.answer(1);
    learner.observe('b');
    await settle();
    expect(asked).toHaveLength(1);
    expect(set).toEqual([]);
  });
});
