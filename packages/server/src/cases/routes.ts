import type { ServerContext } from '../context.ts';
import type { AnyRoute } from '../http/route.ts';

/** Routes of the case engine (issue #5): complaints, support and internal requests. */
export function caseRoutes(_ctx: ServerContext): AnyRoute[] {
  return [];
}
