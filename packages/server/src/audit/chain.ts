import { createHash } from 'node:crypto';

/** What one audit entry says; the hash covers all of it plus the previous entry's hash. */
export interface AuditContent {
  readonly chain: string;
  readonly seq: number;
  readonly at: Date;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly action: string;
  readonly orgUnitId: string | null;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly details: unknown;
}

/** JSON with object keys sorted at every level: jsonb reorders keys, the hash must not care. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(prevHash: string, entry: AuditContent): string {
  // Only the content fields: a row read back also carries id and hashes, which are not content.
  const body = canonicalJson({
    chain: entry.chain,
    seq: entry.seq,
    at: entry.at.toISOString(),
    actorId: entry.actorId,
    actorName: entry.actorName,
    action: entry.action,
    orgUnitId: entry.orgUnitId,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: entry.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface ChainProblem {
  readonly chain: string;
  readonly seq: number;
  readonly problem: 'altered' | 'missing' | 'broken_link' | 'head_mismatch';
  readonly message: string;
}

/** Walks one chain in seq order and reports every row that was altered, removed or relinked. */
export function verifyChain(
  chain: string,
  rows: readonly (AuditContent & { prevHash: string; hash: string })[],
  head: { seq: number; hash: string } | undefined,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedSeq = 1;
  let prevHash = '';
  for (const row of rows) {
    if (row.seq !== expectedSeq) {
      problems.push({
        chain,
        seq: expectedSeq,
        problem: 'missing',
        message: `entries ${expectedSeq}..${row.seq - 1} are missing`,
      });
      prevHash = row.prevHash;
    }
    if (row.prevHash !== prevHash) {
      problems.push({
        chain,
        seq: row.seq,
        problem: 'broken_link',
        message: 'previous-hash link does not match',
      });
    }
    if (entryHash(row.prevHash, row) !== row.hash) {
      problems.push({ chain, seq: row.seq, problem: 'altered', message: 'content does not match its hash' });
    }
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
  }
  const lastSeq = expectedSeq - 1;
  if (head && (head.seq !== lastSeq || head.hash !== prevHash)) {
    problems.push({
      chain,
      seq: head.seq,
      problem: 'head_mismatch',
      message: `chain head says ${head.seq} entries but ${lastSeq} remain (entries removed from the end?)`,
    });
  }
  return problems;
}
