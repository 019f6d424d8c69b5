import { type CustomerTier, CustomerTiers, recoveryEconomics, relationshipOf } from '@serviceloop/domain';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { appendAudit, auditActor } from '../audit/service.ts';
import type { ServerContext } from '../context.ts';
import type { Actor } from '../identity/actor.ts';
import type { TCaseListItem, TCaseListQuery } from './contracts.ts';
import { listCases } from './service.ts';
import {
  buildWorkbook,
  type CellValue,
  type ExportLocale,
  exportLabel,
  type SheetColumn,
  wallClock,
} from './xlsx.ts';

export const ZReportQuery = z.strictObject({
  orgUnitId: z.uuid().optional(),
  /** Receipt dates, inclusive from, exclusive to (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /**
   * Receipt dates, both inclusive, as local calendar dates of each case's own unit: a day means
   * the same to head office as to the branch, whatever zone the caller is in.
   */
  fromDate: z.iso.date().optional(),
  toDate: z.iso.date().optional(),
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
    /**
     * Cases with compensation whose customer is linked and has a value on file: what their
     * recovery cost against the remaining profit of the relationships it was spent to keep.
     */
    valued: z.object({
      cases: z.number().int(),
      customers: z.number().int(),
      compensationMinor: z.number().int(),
      retainedValueMinor: z.number().int(),
      replacementCostMinor: z.number().int(),
      byVerdict: z.array(
        z.object({ verdict: z.enum(['economic', 'marginal', 'uneconomic']), count: z.number().int() }),
      ),
      byTier: z.array(
        z.object({
          tier: z.enum(CustomerTiers),
          cases: z.number().int(),
          compensationMinor: z.number().int(),
          retainedValueMinor: z.number().int(),
        }),
      ),
    }),
  }),
});
export type TCaseReport = z.infer<typeof ZCaseReport>;

function whereOf(scopePath: string, q: TReportQuery): SQL {
  const parts: SQL[] = [sql`u.path like ${`${scopePath}%`}`];
  if (q.from) parts.push(sql`c.received_at >= ${new Date(q.from)}`);
  if (q.to) parts.push(sql`c.received_at < ${new Date(q.to)}`);
  if (q.fromDate) parts.push(sql`(c.received_at at time zone u.time_zone)::date >= ${q.fromDate}::date`);
  if (q.toDate) parts.push(sql`(c.received_at at time zone u.time_zone)::date <= ${q.toDate}::date`);
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
  const valued = await recoveryAgainstValue(ctx, where);
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
      valued,
    },
  };
}

/**
 * Recovery cost against retained value: for each case with compensation and a valued, linked
 * customer, the domain's recovery economics (cost vs the relationship's remaining profit); the
 * retained value counts each customer once, however many of their cases were compensated.
 */
async function recoveryAgainstValue(
  ctx: ServerContext,
  where: SQL,
): Promise<TCaseReport['recovery']['valued']> {
  const rows = await ctx.database.rows<Row>(sql`
    select c.customer_id, c.compensation_minor, cu.tier, v.annual_profit_minor, v.expected_years,
      v.deposits_minor, v.investments_minor, v.currency
    from cases c join org_units u on u.id = c.org_unit_id
      join customers cu on cu.id = c.customer_id
      join customer_values v on v.customer_id = c.customer_id
    where ${where} and c.compensation_minor > 0`);
  const verdicts = { economic: 0, marginal: 0, uneconomic: 0 };
  const tiers = new Map<CustomerTier, { cases: number; compensationMinor: number; customers: Set<string> }>();
  const customerValue = new Map<string, { value: number; replacement: number; tier: CustomerTier }>();
  let compensation = 0;
  for (const r of rows) {
    const tier = String(r.tier) as CustomerTier;
    const relationship = relationshipOf(tier, {
      annualProfitMinor: Number(r.annual_profit_minor),
      expectedYears: Number(r.expected_years),
      depositsMinor: Number(r.deposits_minor),
      investmentsMinor: Number(r.investments_minor),
      currency: String(r.currency),
    });
    const cost = Number(r.compensation_minor);
    const e = recoveryEconomics({
      compensation: [{ amountMinor: cost, currency: relationship.annualProfit.currency }],
      customer: relationship,
    });
    verdicts[e.verdict]++;
    compensation += cost;
    const id = String(r.customer_id);
    customerValue.set(id, {
      value: e.relationshipValue.amountMinor,
      replacement: e.replacementCost.amountMinor,
      tier,
    });
    const t = tiers.get(tier) ?? { cases: 0, compensationMinor: 0, customers: new Set<string>() };
    t.cases++;
    t.compensationMinor += cost;
    t.customers.add(id);
    tiers.set(tier, t);
  }
  const values = [...customerValue.values()];
  return {
    cases: rows.length,
    customers: customerValue.size,
    compensationMinor: compensation,
    retainedValueMinor: values.reduce((s, v) => s + v.value, 0),
    replacementCostMinor: values.reduce((s, v) => s + v.replacement, 0),
    byVerdict: (['economic', 'marginal', 'uneconomic'] as const).map((verdict) => ({
      verdict,
      count: verdicts[verdict],
    })),
    byTier: CustomerTiers.filter((tier) => tiers.has(tier)).map((tier) => {
      const t = tiers.get(tier) as { cases: number; compensationMinor: number; customers: Set<string> };
      return {
        tier,
        cases: t.cases,
        compensationMinor: t.compensationMinor,
        retainedValueMinor: [...t.customers].reduce((s, id) => s + (customerValue.get(id)?.value ?? 0), 0),
      };
    }),
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

/** One row per case in the shape of the regulatory statistics (JR/T 0169 axes), oldest first. */
async function exportRows(ctx: ServerContext, scopePath: string, q: TReportQuery): Promise<Row[]> {
  const now = ctx.clock();
  return ctx.database.rows<Row>(sql`
    select c.number, c.type, c.received_at, u.code as branch_code, u.name as branch_name,
      u.time_zone, c.channel, c.jrt_channel, c.jrt_business_type, c.jrt_cause, c.state, c.closed_at,
      c.root_cause_category as root_cause, c.compensation_minor, c.rating,
      exists (select 1 from case_sla_clocks k where k.case_id = c.id
        and coalesce(k.stopped_at, ${now}) >= k.due_at) as sla_breached
    from cases c join org_units u on u.id = c.org_unit_id where ${whereOf(scopePath, q)}
    order by c.received_at, c.number`);
}

async function auditExport(
  ctx: ServerContext,
  actor: Actor,
  details: Record<string, unknown>,
): Promise<void> {
  await ctx.db.transaction((tx) =>
    appendAudit(tx, ctx.clock, auditActor(actor), {
      action: 'case.exported',
      orgUnitId: actor.orgUnitId,
      targetType: 'case_report',
      details,
    }),
  );
}

/** One line per case in the shape of the regulatory statistics (JR/T 0169 axes); the export is audited. */
export async function exportCasesCsv(
  ctx: ServerContext,
  actor: Actor,
  scopePath: string,
  q: TReportQuery,
): Promise<string> {
  const rows = await exportRows(ctx, scopePath, q);
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
  await auditExport(ctx, actor, { format: 'csv', rows: rows.length, scopePath, ...q });
  return `\uFEFF${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

/** The CSV's columns, with headers in both languages and a cell kind each. */
const REPORT_COLUMNS: readonly SheetColumn[] = [
  { key: 'number', zh: '案件编号', en: 'Case number', kind: 'text', width: 18 },
  { key: 'type', zh: '类型', en: 'Type', kind: 'text', width: 14 },
  { key: 'received_at', zh: '受理时间', en: 'Received', kind: 'datetime' },
  { key: 'branch_code', zh: '机构代码', en: 'Branch code', kind: 'text', width: 12 },
  { key: 'branch_name', zh: '机构名称', en: 'Branch', kind: 'text', width: 18 },
  { key: 'channel', zh: '受理渠道', en: 'Intake channel', kind: 'text', width: 14 },
  { key: 'jrt_channel', zh: '办理渠道（JR/T 0169）', en: 'Channel (JR/T 0169)', kind: 'text', width: 24 },
  {
    key: 'jrt_business_type',
    zh: '业务类型（JR/T 0169）',
    en: 'Business type (JR/T 0169)',
    kind: 'text',
    width: 24,
  },
  { key: 'jrt_cause', zh: '投诉原因（JR/T 0169）', en: 'Cause (JR/T 0169)', kind: 'text', width: 26 },
  { key: 'state', zh: '状态', en: 'State', kind: 'text', width: 12 },
  { key: 'closed_at', zh: '办结时间', en: 'Closed', kind: 'datetime' },
  { key: 'root_cause', zh: '根本原因', en: 'Root cause', kind: 'text', width: 14 },
  { key: 'compensation', zh: '补偿金额（元）', en: 'Compensation (CNY)', kind: 'money', width: 16 },
  { key: 'sla_breached', zh: '是否超时', en: 'SLA breached', kind: 'text', width: 10 },
  { key: 'rating', zh: '客户评分', en: 'Rating', kind: 'integer', width: 10 },
];

const COUNT_COLUMNS = (zh: string, en: string): readonly SheetColumn[] => [
  { key: 'label', zh, en, kind: 'text', width: 30 },
  { key: 'count', zh: '件数', en: 'Cases', kind: 'integer', width: 10 },
];

const at = (v: unknown, zone: unknown): Date | null =>
  v ? wallClock(new Date(v as string), String(zone ?? 'Asia/Shanghai')) : null;

/**
 * The same rows as the CSV as a workbook: sheet 1 one line per case (labels in the caller's
 * language, times in the receiving branch's local time, compensation in yuan with a ¥ format),
 * then one sheet of counts per JR/T 0169-2018 axis. Audited like the CSV.
 */
export async function exportCasesXlsx(
  ctx: ServerContext,
  actor: Actor,
  scopePath: string,
  q: TReportQuery,
  locale: ExportLocale,
): Promise<Buffer> {
  const rows = await exportRows(ctx, scopePath, q);
  const cases = rows.map(
    (r): Record<string, CellValue> => ({
      number: String(r.number),
      type: exportLabel('type', String(r.type), locale),
      received_at: at(r.received_at, r.time_zone),
      branch_code: String(r.branch_code),
      branch_name: String(r.branch_name),
      channel: exportLabel('channel', String(r.channel), locale),
      jrt_channel: exportLabel('jrtChannel', r.jrt_channel as string | null, locale),
      jrt_business_type: exportLabel('jrtBusinessType', r.jrt_business_type as string | null, locale),
      jrt_cause: exportLabel('jrtCause', r.jrt_cause as string | null, locale),
      state: exportLabel('state', String(r.state), locale),
      closed_at: at(r.closed_at, r.time_zone),
      root_cause: r.root_cause ? exportLabel('rootCause', String(r.root_cause), locale) : '',
      compensation: Number(r.compensation_minor ?? 0) / 100,
      sla_breached: exportLabel('yesNo', r.sla_breached ? 'yes' : 'no', locale),
      rating: r.rating === null || r.rating === undefined ? null : Number(r.rating),
    }),
  );
  const countBy = (key: string, kind: 'jrtChannel' | 'jrtBusinessType' | 'jrtCause') => {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const k = (r[key] as string | null) ?? 'unclassified';
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, count]) => ({ label: exportLabel(kind, k, locale), count }));
  };
  const en = locale === 'en';
  const buffer = await buildWorkbook(
    [
      { name: en ? 'Cases' : '案件明细', columns: REPORT_COLUMNS, rows: cases },
      {
        name: en ? 'By channel' : '按办理渠道',
        columns: COUNT_COLUMNS('办理渠道', 'Channel'),
        rows: countBy('jrt_channel', 'jrtChannel'),
      },
      {
        name: en ? 'By business type' : '按业务类型',
        columns: COUNT_COLUMNS('业务类型', 'Business type'),
        rows: countBy('jrt_business_type', 'jrtBusinessType'),
      },
      {
        name: en ? 'By cause' : '按投诉原因',
        columns: COUNT_COLUMNS('投诉原因', 'Cause'),
        rows: countBy('jrt_cause', 'jrtCause'),
      },
    ],
    locale,
    { creator: `ServiceLoop (${actor.username})`, created: ctx.clock() },
  );
  await auditExport(ctx, actor, { format: 'xlsx', rows: rows.length, scopePath, locale, ...q });
  return buffer;
}

/** The workbench's columns, for exporting what the inbox shows. */
const LIST_COLUMNS: readonly SheetColumn[] = [
  { key: 'number', zh: '案件编号', en: 'Case number', kind: 'text', width: 18 },
  { key: 'type', zh: '类型', en: 'Type', kind: 'text', width: 14 },
  { key: 'state', zh: '状态', en: 'State', kind: 'text', width: 12 },
  { key: 'subject', zh: '摘要', en: 'Subject', kind: 'text', width: 36 },
  { key: 'channel', zh: '受理渠道', en: 'Intake channel', kind: 'text', width: 14 },
  { key: 'unit', zh: '机构', en: 'Unit', kind: 'text', width: 18 },
  { key: 'assignee', zh: '处理人', en: 'Assignee', kind: 'text', width: 14 },
  { key: 'severity', zh: '严重程度', en: 'Severity', kind: 'text', width: 10 },
  { key: 'received', zh: '受理时间', en: 'Received', kind: 'datetime' },
  { key: 'due', zh: '最近到期', en: 'Next due', kind: 'datetime' },
  { key: 'risk', zh: '时限风险', en: 'SLA risk', kind: 'text', width: 10 },
  { key: 'compensation', zh: '补偿金额（元）', en: 'Compensation (CNY)', kind: 'money', width: 16 },
];

/** At most this many cases go into one list export. */
export const LIST_EXPORT_LIMIT = 10_000;

/** The workbench list with its current filters (not its page) as a workbook; audited. */
export async function exportCaseListXlsx(
  ctx: ServerContext,
  actor: Actor,
  scopePath: string,
  query: Omit<TCaseListQuery, 'page' | 'pageSize'>,
  locale: ExportLocale,
): Promise<Buffer> {
  const { items, total } = await listCases(ctx, actor, scopePath, {
    ...query,
    page: 1,
    pageSize: LIST_EXPORT_LIMIT,
  });
  const rows = items.map(
    (c: TCaseListItem): Record<string, CellValue> => ({
      number: c.number,
      type: exportLabel('type', c.type, locale),
      state: exportLabel('state', c.state, locale),
      subject: c.subject,
      channel: exportLabel('channel', c.channel, locale),
      unit: c.orgUnitName,
      assignee: c.assigneeName ?? '',
      severity: exportLabel('severity', c.severity, locale),
      // Each case in its own unit's local time, as the report workbook and the web show it.
      received: wallClock(new Date(c.receivedAt), c.orgUnitTimeZone),
      due: c.nextDueAt ? wallClock(new Date(c.nextDueAt), c.orgUnitTimeZone) : null,
      risk: exportLabel('risk', c.risk, locale),
      compensation: c.compensationMinor / 100,
    }),
  );
  const buffer = await buildWorkbook(
    [{ name: locale === 'en' ? 'Cases' : '案件列表', columns: LIST_COLUMNS, rows }],
    locale,
    { creator: `ServiceLoop (${actor.username})`, created: ctx.clock() },
  );
  await auditExport(ctx, actor, {
    format: 'xlsx',
    list: true,
    rows: rows.length,
    total,
    scopePath,
    locale,
    ...query,
  });
  return buffer;
}
