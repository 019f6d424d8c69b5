import { createHash, randomBytes } from 'node:crypto';
import {
  AppError,
  isLocked,
  lockoutAfterFailure,
  permissionsOf,
  type Role,
  sessionExpiry,
  type TSignInRequest,
} from '@serviceloop/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { appendAudit } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import { orgUnits, sessions, users } from '../db/schema.ts';
import type { Actor } from './actor.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import { type CachedSession, forgetSession, forgetUserSessions, sessionCache } from './session-cache.ts';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface SignInResult {
  readonly token: string;
  readonly actor: Actor;
  readonly expiresAt: Date;
}

export async function signIn(
  ctx: ServerContext,
  input: TSignInRequest & { ip: string | undefined; userAgent: string | undefined },
): Promise<SignInResult> {
  const now = ctx.clock();
  const [user] = await ctx.db.select().from(users).where(eq(users.username, input.username.toLowerCase()));
  if (!user?.active) {
    await burnVerification(input.password);
    throw new AppError('invalid_credentials', 'Wrong username or password');
  }
  if (isLocked(user.lockedUntil, now)) {
    throw new AppError('account_locked', 'Too many failed sign-ins; the account is locked for a while', {
      details: { lockedUntil: user.lockedUntil?.toISOString() },
    });
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  if (!ok) {
    const next = lockoutAfterFailure(user.failedAttempts, now);
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(users)
        .set({ failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil, updatedAt: now })
        .where(eq(users.id, user.id));
      await appendAudit(
        tx,
        ctx.clock,
        { userId: user.id, name: user.username },
        {
          action: next.lockedUntil ? 'auth.locked' : 'auth.sign_in_failed',
          orgUnitId: user.orgUnitId,
          targetType: 'user',
          targetId: user.id,
          details: { ip: input.ip ?? null, failedAttempts: next.failedAttempts },
        },
      );
    });
    if (next.lockedUntil) {
      // Sessions outlive a lockout in the database; the cache still starts over for this user.
      forgetUserSessions(ctx, user.id);
      throw new AppError('account_locked', 'Too many failed sign-ins; the account is locked for a while', {
        details: { lockedUntil: next.lockedUntil.toISOString() },
      });
    }
    throw new AppError('invalid_credentials', 'Wrong username or password');
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = sessionExpiry(now, now);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ failedAttempts: 0, lockedUntil: null, lastSignInAt: now, updatedAt: now })
      .where(eq(users.id, user.id));
    await tx.insert(sessions).values({
      id: hashToken(token),
      userId: user.id,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await appendAudit(
      tx,
      ctx.clock,
      { userId: user.id, name: user.username },
      {
        action: 'auth.signed_in',
        orgUnitId: user.orgUnitId,
        targetType: 'user',
        targetId: user.id,
        details: { ip: input.ip ?? null },
      },
    );
  });
  const actor = await resolveSession(ctx, token);
  if (!actor) throw new AppError('internal', 'Session vanished right after sign-in');
  return { token, actor, expiresAt };
}

// Sliding expiry is written at most once a minute: a busy console must not write on every request.
const TOUCH_EVERY_MS = 60_000;

/**
 * The actor for a session cookie, or undefined when the session is unknown, revoked or expired.
 * Served from this node's session cache for a few seconds (identity/session-cache.ts: what is
 * forgotten when, and how stale another node can be); expiry and sliding are checked on every
 * request either way.
 */
export async function resolveSession(ctx: ServerContext, token: string): Promise<Actor | undefined> {
  const now = ctx.clock();
  const cache = sessionCache(ctx);
  let entry = cache.get(token);
  if (entry && entry.expiresAt.getTime() <= now.getTime()) {
    // Looks expired here; another node may have slid it meanwhile: ask the database.
    cache.forget(entry.actor.sessionId);
    entry = undefined;
  }
  if (!entry) {
    entry = await loadSession(ctx, token, now);
    if (!entry) return undefined;
  }
  const id = entry.actor.sessionId;
  if (now.getTime() - entry.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    const expiresAt = sessionExpiry(entry.createdAt, now);
    // Moved first, so that concurrent requests of this session do not all write.
    entry.lastSeenAt = now;
    entry.expiresAt = expiresAt;
    await ctx.db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
  }
  return entry.actor;
}

async function loadSession(ctx: ServerContext, token: string, now: Date): Promise<CachedSession | undefined> {
  const id = hashToken(token);
  const cache = sessionCache(ctx);
  const epoch = cache.currentEpoch;
  const loadedAt = performance.now();
  const [row] = await ctx.db
    .select({ session: sessions, user: users, scopePath: orgUnits.path })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  if (!row?.user.active) return undefined;
  if (row.session.expiresAt.getTime() <= now.getTime()) return undefined;
  const roles = row.user.roles as Role[];
  const entry: CachedSession = {
    actor: {
      userId: row.user.id,
      username: row.user.username,
      displayName: row.user.displayName,
      orgUnitId: row.user.orgUnitId,
      scopePath: row.scopePath,
      roles,
      permissions: permissionsOf(roles),
      sessionId: id,
      csrfToken: row.session.csrfToken,
      locale: row.user.locale,
    },
    createdAt: row.session.createdAt,
    lastSeenAt: row.session.lastSeenAt,
    expiresAt: row.session.expiresAt,
    loadedAt,
  };
  cache.set(token, entry, epoch);
  return entry;
}

export async function signOut(ctx: ServerContext, actor: Actor): Promise<void> {
  const now = ctx.clock();
  await ctx.db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, actor.sessionId));
    await appendAudit(
      tx,
      ctx.clock,
      { userId: actor.userId, name: actor.username },
      { action: 'auth.signed_out', orgUnitId: actor.orgUnitId, targetType: 'user', targetId: actor.userId },
    );
  });
  forgetSession(ctx, actor.sessionId);
}
