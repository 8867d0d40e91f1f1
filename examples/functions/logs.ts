import type { Handler } from 'aws-lambda';

/** Prints `event.lines` lines (default 3) and returns how many; try it with LogType Tail. */
export const handler: Handler<{ lines?: number }, { printed: number }> = async (event) => {
  const lines = event.lines ?? 3;
  for (let i = 1; i <= lines; i++) console.log(`line ${i} of ${lines}`);
  return { printed: lines };
};
