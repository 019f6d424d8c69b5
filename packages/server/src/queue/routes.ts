import type { ServerContext } from '../context.ts';
import type { AnyRoute } from '../http/route.ts';

/** Routes of the branch queue (issue #3): kiosk, calling, counters, display stream, KPIs. */
export function queueRoutes(_ctx: ServerContext): AnyRoute[] {
  return [];
}
