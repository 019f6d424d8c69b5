import type { ServerContext } from '../context.ts';

/** Starts the SLA clock worker (issue #5); returns its stop function. Nothing to run yet. */
export function startCaseWorker(_ctx: ServerContext): () => Promise<void> {
  return async () => undefined;
}
