import type { ServerContext } from '../context.ts';
import type { Actor } from './actor.ts';

/**
 * Resolved sessions, kept in process for a few seconds so that a busy teller console does not
 * cost one session query per request.
 *
 * - Freshness: an entry is used for at most SESSION_CACHE_TTL_MS of real time after it was read
 *   from the database; then the next request reads the row again.
 * - This node forgets an entry at once when it ends the session or changes the user: sign-out,
 *   a lockout, a staff change (roles, unit, deactivation) or a password reset made on this node
 *   call forgetSession / forgetUserSessions after their commit, so the very next request here
 *   answers 401.
 * - Another node learns of a revocation by re-reading: a session ended on node A may still be
 *   accepted by node B for at most SESSION_CACHE_TTL_MS (the documented multi-node staleness).
 * - Expiry is checked on every request against the cached expiry; a cached entry that looks
 *   expired is re-read rather than refused (another node may have slid it).
 */
export const SESSION_CACHE_TTL_MS = 3_000;
const MAX_ENTRIES = 50_000;

export interface CachedSession {
  readonly actor: Actor;
  readonly createdAt: Date;
  /** Sliding-expiry bookkeeping, moved forward when this node touches the row. */
  lastSeenAt: Date;
  expiresAt: Date;
  /** performance.now() when read from the database. */
  readonly loadedAt: number;
}

class SessionCache {
  /** By the cookie's token itself, so a hit needs no hashing; the session id is in the actor. */
  private readonly byToken = new Map<string, CachedSession>();
  private readonly tokenOf = new Map<string, string>();
  private readonly byUser = new Map<string, Set<string>>();
  /**
   * Moves on every forget. A read that started before a forget must not store what it read (it
   * may predate the revocation): loads take the epoch first and store only if it is unchanged.
   */
  private epoch = 0;

  get currentEpoch(): number {
    return this.epoch;
  }

  get(token: string): CachedSession | undefined {
    const entry = this.byToken.get(token);
    if (!entry) return undefined;
    if (performance.now() - entry.loadedAt >= SESSION_CACHE_TTL_MS) {
      this.drop(entry.actor.sessionId);
      return undefined;
    }
    return entry;
  }

  set(token: string, entry: CachedSession, epochAtLoad: number): void {
    if (epochAtLoad !== this.epoch) return;
    if (this.byToken.size >= MAX_ENTRIES) this.clear();
    const { sessionId, userId } = entry.actor;
    this.byToken.set(token, entry);
    this.tokenOf.set(sessionId, token);
    let set = this.byUser.get(userId);
    if (!set) {
      set = new Set();
      this.byUser.set(userId, set);
    }
    set.add(sessionId);
  }

  /** Forgets a session by its id (the hash of its token, as stored). */
  forget(sessionId: string): void {
    this.epoch++;
    this.drop(sessionId);
  }

  /** Removes an entry that merely aged out (no revocation: loads in flight may still store). */
  private drop(sessionId: string): void {
    const token = this.tokenOf.get(sessionId);
    if (token === undefined) return;
    const entry = this.byToken.get(token);
    this.tokenOf.delete(sessionId);
    this.byToken.delete(token);
    if (!entry) return;
    const set = this.byUser.get(entry.actor.userId);
    set?.delete(sessionId);
    if (set?.size === 0) this.byUser.delete(entry.actor.userId);
  }

  forgetUser(userId: string): void {
    this.epoch++;
    const set = this.byUser.get(userId);
    if (!set) return;
    for (const sessionId of set) {
      const token = this.tokenOf.get(sessionId);
      this.tokenOf.delete(sessionId);
      if (token !== undefined) this.byToken.delete(token);
    }
    this.byUser.delete(userId);
  }

  clear(): void {
    this.epoch++;
    this.byToken.clear();
    this.tokenOf.clear();
    this.byUser.clear();
  }
}

const caches = new WeakMap<ServerContext, SessionCache>();

export function sessionCache(ctx: ServerContext): SessionCache {
  let cache = caches.get(ctx);
  if (!cache) {
    cache = new SessionCache();
    caches.set(ctx, cache);
  }
  return cache;
}

/** Drops one session from this node's cache (after it was ended in the database). */
export function forgetSession(ctx: ServerContext, sessionId: string): void {
  sessionCache(ctx).forget(sessionId);
}

/** Drops every cached session of a user (after their sessions, roles, unit or status changed). */
export function forgetUserSessions(ctx: ServerContext, userId: string): void {
  sessionCache(ctx).forgetUser(userId);
}
