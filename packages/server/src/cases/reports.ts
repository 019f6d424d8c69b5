import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Actor } from '../identity/actor.ts';

export const ZReportQuery = z.strictObject({
  orgUnitId: z.uuid().optional(),
  /** Receipt dates, inclusive from, exclusive to (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  type: z.enum(['complaint', 'ebanking_support', 'internal_request']).optional(),
});
export type TReportQuery = z.infer<typeof ZReportQuery>;

const ZCount = z.object({ key: z.string(), count: z.number().int() });
export const ZCaseReport = z.object({
  total: z.number().int(),
  byJrtChannel: z.array(ZCount),
  byJrtBusinessType: z.array(ZCount),
  byJrtCause: z.array(ZCount),
  byBranch: z.array(ZCount.extend({ name: z.string() })),
  byMonth: z.array(ZCount),
  byRootCause: z.array(ZCount),
  sla: z.object({
    clocks: z.number().int(),
    met: z.number().int(),
    breached: z.number().int(),
    compliance: z.number().nullable(),
  }),
  recovery: z.object({
    compensationMinor: z.number().int(),
    casesWithCompensation: z.number().int(),
    currency: z.string(),
  }),
});
export type TCaseReport = z.infer<typeof ZCaseReport>;

function whereOf(scopePath: string, q: TReportQuery): SQL {
  const parts: SQL[] = [sql`u.path like ${`${scopePath}%`}`];
  if (q.from) parts.push(sql`c.received_at >= ${new Date(q.from)}`);
  if (q.to) parts.push(sql`c.received_at < ${new Date(q.to)}`);
  if (q.type) parts.push(sql`c.type = ${q.type}`);
  return sql.join(parts, sql` and `);
}

type Row = Record<string, unknown>;

/** Counts on the three JR/T 0169-2018 axes, by branch and month; SLA compliance; recovery cost. */
export async function caseReport(
  ctx: ServerContext,
  scopePath: string,
  q: TReportQuery,
): Promise<TCaseReport> {
  const where = whereOf(scopePath, q);
  const from = sql`from cases c join org_units u on u.id = c.org_unit_id where ${where}`;
  const group = async (expr: SQL) => {
    const rows = await ctx.database.rows<Row>(
      sql`select coalesce(${expr}, 'unclassified') as key, count(*)::int as count ${from} group by 1 order by 2 desc, 1`,
    );
    return rows.map((r) => ({ key: String(r.key), count: Number(r.count) }));
  };
  const [byJrtChannel, byJrtBusinessType, byJrtCause, byRootCause] = await Promise.all([
    group(sql`c.jrt_channel`),
    group(sql`c.jrt_business_type`),
    group(sql`c.jrt_cause`),
    group(sql`c.root_cause_category`),
  ]);
  const byMonth = (
    await ctx.database.rows<Row>(
      sql`select to_char(c.received_at at time zone u.time_zone, 'YYYY-MM') as key, count(*)::int as count ${from} group by 1 order by 1`,
    )
  ).map((r) => ({ key: String(r.key), count: Number(r.count) }));
  const byBranch = (
    await ctx.database.rows<Row>(
      sql`select u.code as key, u.name as name, count(*)::int as count ${from} group by 1, 2 order by 1`,
    )
  ).map((r) => ({ key: String(r.key), name: String(r.name), count: Number(r.count) }));
  const now = ctx.clock();
  const [sla] = await ctx.database.rows<Row>(sql`
    select count(*)::int as clocks,
      count(*) filter (where k.stopped_at is not null and k.stopped_at < k.due_at)::int as met,
      count(*) filter (where coalesce(k.stopped_at, ${now}) >= k.due_at)::int as breached
    from case_sla_clocks k join cases c on c.id = k.case_id join org_units u on u.id = c.org_unit_id
    where ${where}`);
  const [money] = await ctx.database.rows<Row>(sql`
    select coalesce(sum(c.compensation_minor), 0)::bigint as total,
      count(*) filter (where c.compensation_minor > 0)::int as cases, count(*)::int as all_cases ${from}`);
  const met = Number(sla?.met ?? 0);
  const breached = Number(sla?.breached ?? 0);
  return {
    total: Number(money?.all_cases ?? 0),
    byJrtChannel,
    byJrtBusinessType,
    byJrtCause,
    byBranch,
    byMonth,
    byRootCause,
    sla: {
      clocks: Number(sla?.clocks ?? 0),
      met,
      breached,
      compliance: met + breached > 0 ? met / (met + breached) : null,
    },
    recovery: {
      compensationMinor: Number(money?.total ?? 0),
      casesWithCompensation: Number(money?.cases ?? 0),
      currency: 'CNY',
    },
  };
}

const CSV_COLUMNS = [
  'number',
  'type',
  'received_at',
  'branch_code',
  'branch_name',
  'channel',
  'jrt_channel',
  'jrt_business_type',
  'jrt_cause',
  'state',
  'closed_at',
  'root_cause',
  'compensation_yuan',
  'sla_breached',
  'rating',
] as const;

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  // Quote when needed; a leading = + - @ is neutralised against spreadsheet formula injection.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function yuan(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** One line per case in the shape of the regulatory statistics (JR/T 0169 axes); the export is audited. */
export async function exportCasesCsv(
  ctx: ServerContext,
  actor: Actor,
  scopePath: string,
  q: TReportQuery,
): Promise<string> {
  const now = ctx.clock();
  const rows = await ctx.database.rows<Row>(sql`
    select c.number, c.type, c.received_at, u.code as branch_code, u.name as branch_name, c.channel,
      c.jrt_channel, c.jrt_business_type, c.jrt_cause, c.state, c.closed_at,
      c.root_cause_category as root_cause, c.compensation_minor, c.rating,
      exists (select 1 from case_sla_clocks k where k.case_id = c.id
        and coalesce(k.stopped_at, ${now}) >= k.due_at) as sla_breached
    from cases c join org_units u on u.id = c.org_unit_id where ${whereOf(scopePath, q)}
    order by c.received_at, c.number`);
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');
  const lines = rows.map((r) =>
    [
      r.number,
      r.type,
      iso(r.received_at),
      r.branch_code,
      r.branch_name,
      r.channel,
      r.jrt_channel,
      r.jrt_business_type,
      r.jrt_cause,
      r.state,
      iso(r.closed_at),
      r.root_cause,
      yuan(Number(r.compensation_minor ?? 0)),
      r.sla_breached ? 'yes' : 'no',
      r.rating,
    ]
      .map(csvCell)
      .join(','),
  );
  await ctx.db.transaction((tx) =>
    appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.exported',
      orgUnitId: actor.orgUnitId,
      targetType: 'case_report',
      details: { rows: rows.length, scopePath, ...q },
    }),
  );
  return `\uFEFF${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
