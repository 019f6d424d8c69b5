import type { Clock } from '@serviceloop/domain';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/database.ts';
import { auditChainHeads, auditLog } from '../db/schema.ts';
import type { Actor } from '../identity/actor.ts';
import { type ChainProblem, entryHash, verifyChain } from './chain.ts';

export interface AuditEntry {
  readonly action: string;
  readonly orgUnitId: string | null;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly details?: Record<string, unknown>;
}

export interface AuditActor {
  readonly userId: string | null;
  readonly name: string | null;
}

export function auditActor(actor: Actor | undefined): AuditActor {
  return actor ? { userId: actor.userId, name: actor.username } : { userId: null, name: null };
}

/**
 * Appends to the hash chain of the entry's org unit, inside the caller's transaction. One chain
 * per org unit keeps the head-row lock local: branch A's auditing never waits for branch B's.
 */
export async function appendAudit(
  tx: Executor,
  clock: Clock,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  const chain = entry.orgUnitId ?? 'global';
  await tx.execute(
    sql`insert into audit_chain_heads (chain, seq, hash) values (${chain}, 0, '') on conflict (chain) do nothing`,
  );
  const [head] = await tx
    .select({ seq: auditChainHeads.seq, hash: auditChainHeads.hash })
    .from(auditChainHeads)
    .where(eq(auditChainHeads.chain, chain))
    .for('update');
  const prev = head ?? { seq: 0, hash: '' };
  const content = {
    chain,
    seq: prev.seq + 1,
    at: clock(),
    actorId: actor.userId,
    actorName: actor.name,
    action: entry.action,
    orgUnitId: entry.orgUnitId,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  };
  const hash = entryHash(prev.hash, content);
  await tx.insert(auditLog).values({ ...content, prevHash: prev.hash, hash });
  await tx.update(auditChainHeads).set({ seq: content.seq, hash }).where(eq(auditChainHeads.chain, chain));
}

export interface VerifyReport {
  readonly chains: number;
  readonly entries: number;
  readonly problems: readonly ChainProblem[];
}

export async function verifyAudit(database: Database): Promise<VerifyReport> {
  const { db } = database;
  const heads = await db.select().from(auditChainHeads);
  const chainsInLog = await database.rows<{ chain: string }>(sql`select distinct chain from audit_log`);
  const names = new Set([...heads.map((h) => h.chain), ...chainsInLog.map((c) => c.chain)]);
  const problems: ChainProblem[] = [];
  let entries = 0;
  for (const chain of [...names].sort()) {
    const rows = await db.select().from(auditLog).where(eq(auditLog.chain, chain)).orderBy(asc(auditLog.seq));
    entries += rows.length;
    const head = heads.find((h) => h.chain === chain);
    problems.push(...verifyChain(chain, rows, head));
  }
  return { chains: names.size, entries, problems };
}
