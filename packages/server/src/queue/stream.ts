import type { FastifyReply } from 'fastify';
import type { ServerContext } from '../context.ts';
import type { StoredEvent } from '../events/outbox.ts';
import { displayNotices } from './notices.ts';
import { displayState } from './views.ts';

/** Event types that make a display board announce a number. */
const CALL_EVENTS = new Set(['queue.ticket_called', 'queue.ticket_recalled']);
/** Notice changes carry the branch's whole list of active notices (queue/notices.ts). */
const NOTICE_EVENTS = new Set(['queue.notice_posted', 'queue.notice_expired']);
/** A burst of events (a busy minute) refreshes each board's state once per this window. */
const STATE_DEBOUNCE_MS = 100;
const HEARTBEAT_MS = 15_000;

interface Connection {
  write(chunk: string): void;
  end(): void;
}

export function sseMessage(event: string, data: unknown, id?: string | number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Fans committed queue events out to the display boards of one server node. Call announcements
 * go out at once from the event's payload; the board's full state (counters, recent calls,
 * waiting counts) is recomputed once per branch per burst and shared by all its boards.
 */
class DisplayHub {
  private readonly boards = new Map<string, Set<Connection>>();
  private readonly refresh = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ctx: ServerContext) {
    ctx.dispatcher.onDispatched((event) => this.onDispatched(event));
  }

  add(branchId: string, conn: Connection): () => void {
    let set = this.boards.get(branchId);
    if (!set) {
      set = new Set();
      this.boards.set(branchId, set);
    }
    set.add(conn);
    return () => {
      set.delete(conn);
      if (set.size === 0 && this.boards.get(branchId) === set) this.boards.delete(branchId);
    };
  }

  /** Ends every open stream (server shutdown): boards reconnect to another node or after restart. */
  closeAll(): void {
    for (const set of this.boards.values()) for (const conn of set) conn.end();
    this.boards.clear();
  }

  get connections(): number {
    let n = 0;
    for (const set of this.boards.values()) n += set.size;
    return n;
  }

  /**
   * Event ids this node's boards were already shown. An event can arrive more than once: from
   * the writer on this node (publishLocal), from this node's dispatcher, and from other nodes'
   * broadcasts (the node that committed it, the node that dispatched it). Only the first counts.
   */
  private readonly shown = new Set<string>();

  private firstSight(eventId: string): boolean {
    if (this.shown.has(eventId)) return false;
    this.shown.add(eventId);
    if (this.shown.size > 50_000) {
      const oldest = this.shown.values().next().value;
      if (oldest !== undefined) this.shown.delete(oldest);
    }
    return true;
  }

  /** The fast path: this node committed the event and shows it at once. */
  publishLocal(event: StoredEvent): void {
    if (!event.orgUnitId || !this.boards.has(event.orgUnitId)) return;
    if (this.firstSight(event.eventId)) this.onEvent(event);
  }

  private onDispatched(event: StoredEvent): void {
    if (!event.orgUnitId || !this.boards.has(event.orgUnitId)) return;
    if (this.firstSight(event.eventId)) this.onEvent(event);
  }

  private onEvent(event: StoredEvent): void {
    if (!event.type.startsWith('queue.') || !event.orgUnitId) return;
    const branchId = event.orgUnitId;
    const set = this.boards.get(branchId);
    if (!set || set.size === 0) return;
    if (NOTICE_EVENTS.has(event.type)) {
      const notices = { at: event.payload.at, notices: event.payload.notices };
      const message = sseMessage('notices', notices, event.id);
      for (const conn of set) conn.write(message);
      return;
    }
    if (CALL_EVENTS.has(event.type)) {
      const message = sseMessage(
        'call',
        {
          ticketId: event.payload.ticketId,
          number: event.payload.number,
          serviceCode: event.payload.serviceCode,
          counterNumber: event.payload.counterNumber ?? null,
          recall: event.type === 'queue.ticket_recalled',
          occurredAt: event.occurredAt.toISOString(),
        },
        event.id,
      );
      for (const conn of set) conn.write(message);
    }
    if (this.refresh.has(branchId)) return;
    const timer = setTimeout(() => {
      this.refresh.delete(branchId);
      void this.pushState(branchId);
    }, STATE_DEBOUNCE_MS);
    timer.unref();
    this.refresh.set(branchId, timer);
  }

  private async pushState(branchId: string): Promise<void> {
    const set = this.boards.get(branchId);
    if (!set || set.size === 0) return;
    try {
      const message = sseMessage('state', await displayState(this.ctx, branchId));
      for (const conn of set) conn.write(message);
    } catch (error) {
      this.ctx.log.warn({ err: error, branchId }, 'display state refresh failed');
    }
  }
}

const hubs = new WeakMap<ServerContext, DisplayHub>();

/**
 * Shows an event committed by this node on this node's boards without waiting for the outbox
 * dispatcher (which still delivers it to every node; the duplicate is skipped here).
 */
export function publishLocal(ctx: ServerContext, event: StoredEvent): void {
  hubs.get(ctx)?.publishLocal(event);
}

/**
 * Ends this node's display streams. Open SSE responses keep Fastify's close() waiting; call this
 * from a preClose hook (or start Fastify with forceCloseConnections: true).
 */
export function closeDisplayStreams(ctx: ServerContext): void {
  hubs.get(ctx)?.closeAll();
}

export function displayHub(ctx: ServerContext): DisplayHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new DisplayHub(ctx);
    hubs.set(ctx, hub);
  }
  return hub;
}

/**
 * Serves a display board over Server-Sent Events on Fastify's raw response: the reply is
 * hijacked (Fastify sends nothing more), the current state goes out first, then calls and state
 * refreshes as they are dispatched, with a comment line as heartbeat so proxies keep the
 * connection. Closing the connection (board switched off, page reloaded) unsubscribes it.
 */
export async function streamDisplay(
  ctx: ServerContext,
  branchId: string,
  reply: FastifyReply,
): Promise<void> {
  const initial = await displayState(ctx, branchId); // 404 for an unknown branch, before hijacking
  const notices = await displayNotices(ctx, branchId);
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  raw.write('retry: 3000\n\n');
  raw.write(sseMessage('state', initial));
  raw.write(sseMessage('notices', notices));
  const conn: Connection = {
    write: (chunk) => {
      if (!raw.writableEnded && !raw.destroyed) raw.write(chunk);
    },
    end: () => {
      if (!raw.writableEnded) raw.end();
    },
  };
  const remove = displayHub(ctx).add(branchId, conn);
  const heartbeat = setInterval(() => conn.write(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  raw.on('close', () => {
    clearInterval(heartbeat);
    remove();
  });
}
