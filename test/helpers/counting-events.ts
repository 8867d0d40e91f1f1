/**
 * The gateway's real in-memory pub/sub, counting the listeners subscriptions hold open, so a test
 * can see a subscription being released on the server.
 */
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import type { InvocationRecord } from '../../src/async/invocation-record.ts';

export class CountingInvocationEvents extends InvocationEvents {
  /** Listeners of one invocation (`invocationUpdates`) currently open. */
  open = 0;

  override listen(requestId: string): AsyncIterator<InvocationRecord> {
    const updates = super.listen(requestId);
    this.open += 1;
    let released = false;
    return {
      next: () => updates.next(),
      return: async () => {
        if (!released) {
          released = true;
          this.open -= 1;
        }
        return (await updates.return?.()) ?? { done: true, value: undefined };
      },
    };
  }
}
