import type { TCallingPolicyConfig } from './config.ts';
import { type CounterView, orderForCounter, type PolicyTicket } from './pick-next.ts';

/**
 * The order in which the waiting tickets would be called if `counters` took turns calling,
 * in the order given, with time frozen at `nowMs` and no new arrivals. Equal turns is the
 * assumption that keeps this a count rather than a prediction; the wait predictor adds timing.
 * Tickets no counter may serve are left out. Cost: one sort per counter, then a linear merge.
 */
export function projectCallOrder<T extends PolicyTicket>(
  config: TCallingPolicyConfig,
  waiting: readonly T[],
  counters: readonly CounterView[],
  nowMs: number,
): T[] {
  const lists = counters.map((c) => orderForCounter(config, waiting, c, nowMs));
  const cursors = lists.map(() => 0);
  const taken = new Set<T>();
  const order: T[] = [];
  let active = true;
  while (active) {
    active = false;
    for (let i = 0; i < lists.length; i++) {
      const list = lists[i]!;
      let j = cursors[i]!;
      while (j < list.length && taken.has(list[j]!)) j++;
      cursors[i] = j;
      if (j === list.length) continue;
      const t = list[j]!;
      taken.add(t);
      order.push(t);
      cursors[i] = j + 1;
      active = true;
    }
  }
  return order;
}

/**
 * How many tickets the kiosk should say are ahead of `ticketId`: its position in
 * projectCallOrder over the counters given (normally the open ones). When none of them can
 * serve it (all closed, or skills changed), it counts the tickets a counter dedicated to its
 * service would call first. Undefined when the ticket is not waiting.
 */
export function peopleAhead<T extends PolicyTicket>(
  config: TCallingPolicyConfig,
  waiting: readonly T[],
  ticketId: string,
  counters: readonly CounterView[],
  nowMs: number,
): number | undefined {
  const ticket = waiting.find((t) => t.id === ticketId);
  if (ticket === undefined) return undefined;
  const order = projectCallOrder(config, waiting, counters, nowMs);
  const at = order.indexOf(ticket);
  if (at >= 0) return at;
  const dedicated: CounterView = {
    id: ticket.targetCounterId ?? '\u0000virtual',
    skills: [ticket.serviceCode],
  };
  return orderForCounter(config, waiting, dedicated, nowMs).indexOf(ticket);
}
