/**
 * Counts AWS calls for the progress line: calls in flight and retries. A
 * middleware on every client the factory creates (AwsAccessOptions.instrument):
 * the `initialize` step sees each call once, the `deserialize` step each
 * attempt (it runs inside the SDK's retry loop), so attempts past the first
 * are retries. It reads nothing of the request or the answer.
 */
export interface CallStats {
  calls: number;
  inFlight: number;
  retries: number;
}

interface MiddlewareClient {
  middlewareStack: {
    add: (middleware: unknown, options: { step: string; name: string; priority?: string }) => void;
  };
}

const ATTEMPTS = Symbol('atrest.attempts');

export function createCallStats(): CallStats & { instrument: (client: unknown) => void } {
  const stats = { calls: 0, inFlight: 0, retries: 0 };
  const instrument = (client: unknown): void => {
    const stack = (client as MiddlewareClient).middlewareStack;
    if (!stack?.add) return;
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: Record<symbol, number>) => async (args: unknown) => {
        stats.calls += 1;
        stats.inFlight += 1;
        context[ATTEMPTS] = 0;
        try {
          return await next(args);
        } finally {
          stats.inFlight -= 1;
        }
      },
      { step: 'initialize', name: 'atrestCallStats', priority: 'high' },
    );
    stack.add(
      (next: (args: unknown) => Promise<unknown>, context: Record<symbol, number>) => async (args: unknown) => {
        context[ATTEMPTS] = (context[ATTEMPTS] ?? 0) + 1;
        if (context[ATTEMPTS] > 1) stats.retries += 1;
        return next(args);
      },
      { step: 'deserialize', name: 'atrestAttemptStats' },
    );
  };
  return Object.assign(stats, { instrument });
}
