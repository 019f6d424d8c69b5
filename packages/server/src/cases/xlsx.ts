import {
  categoryLabel,
  JRT_BUSINESS_TYPES,
  JRT_CAUSES,
  JRT_CHANNELS,
  type JrtBusinessType,
  type JrtCause,
  type JrtChannel,
  localTimeline,
  ROOT_CAUSE_LABELS,
  type RootCauseCategory,
} from '@serviceloop/domain';
import ExcelJS from 'exceljs';
import { z } from 'zod';

/** Spreadsheet exports speak the caller's language: zh-CN (default) or English. */
export const ExportLocales = ['zh-CN', 'en'] as const;
export type ExportLocale = (typeof ExportLocales)[number];
export const ZExportLocale = z.enum(ExportLocales);

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Pair = readonly [zh: string, en: string];

const TYPE: Readonly<Record<string, Pair>> = {
  complaint: ['投诉', 'Complaint'],
  ebanking_support: ['电子银行售后', 'E-banking support'],
  internal_request: ['内部请求', 'Internal request'],
};
const STATE: Readonly<Record<string, Pair>> = {
  received: ['已受理', 'Received'],
  acknowledged: ['已确认', 'Acknowledged'],
  investigating: ['调查中', 'Investigating'],
  resolution_proposed: ['已提出方案', 'Resolution proposed'],
  accepted: ['客户接受', 'Accepted'],
  rejected: ['客户不接受', 'Rejected'],
  closed: ['已办结', 'Closed'],
  review_requested: ['复核中', 'Review requested'],
  merged: ['已合并', 'Merged'],
  withdrawn: ['已撤回', 'Withdrawn'],
};
const CHANNEL: Readonly<Record<string, Pair>> = {
  counter: ['柜面', 'Counter'],
  hotline: ['客服热线', 'Hotline'],
  web_app: ['网银/手机银行', 'Web / app'],
  email: ['电子邮件', 'E-mail'],
  letter: ['信函', 'Letter'],
  regulator_referral: ['监管转办', 'Regulator referral'],
  social_media: ['社交媒体', 'Social media'],
  internal: ['内部', 'Internal'],
};
const SEVERITY: Readonly<Record<string, Pair>> = {
  low: ['低', 'Low'],
  medium: ['中', 'Medium'],
  high: ['高', 'High'],
  critical: ['紧急', 'Critical'],
};
const RISK: Readonly<Record<string, Pair>> = {
  ok: ['正常', 'On track'],
  warning: ['预警', 'Warning'],
  breached: ['已超时', 'Breached'],
};
const YES_NO: Readonly<Record<string, Pair>> = { yes: ['是', 'Yes'], no: ['否', 'No'] };
const UNCLASSIFIED: Pair = ['未分类', 'Unclassified'];

const pick = (pair: Pair | undefined, locale: ExportLocale, fallback: string) =>
  pair ? pair[locale === 'en' ? 1 : 0] : fallback;

/** Human labels of the stored keys, in the export's language; unknown keys are shown as they are. */
export function exportLabel(
  kind:
    | 'type'
    | 'state'
    | 'channel'
    | 'severity'
    | 'risk'
    | 'yesNo'
    | 'jrtChannel'
    | 'jrtBusinessType'
    | 'jrtCause'
    | 'rootCause',
  key: string | null | undefined,
  locale: ExportLocale,
): string {
  if (key === null || key === undefined || key === '' || key === 'unclassified') {
    return kind.startsWith('jrt') || kind === 'rootCause' ? pick(UNCLASSIFIED, locale, '') : '';
  }
  const l = locale === 'en' ? 'en' : 'zh';
  switch (kind) {
    case 'jrtChannel':
      return categoryLabel(JRT_CHANNELS, key as JrtChannel, l);
    case 'jrtBusinessType':
      return categoryLabel(JRT_BUSINESS_TYPES, key as JrtBusinessType, l);
    case 'jrtCause':
      return categoryLabel(JRT_CAUSES, key as JrtCause, l);
    case 'rootCause': {
      const label = ROOT_CAUSE_LABELS[key as RootCauseCategory];
      return label ? label[l] : key;
    }
    case 'type':
      return pick(TYPE[key], locale, key);
    case 'state':
      return pick(STATE[key], locale, key);
    case 'channel':
      return pick(CHANNEL[key], locale, key);
    case 'severity':
      return pick(SEVERITY[key], locale, key);
    case 'risk':
      return pick(RISK[key], locale, key);
    case 'yesNo':
      return pick(YES_NO[key], locale, key);
  }
}

/**
 * Excel has no time zones: a cell holds a wall-clock date-time. An instant is written as the
 * wall-clock time of the branch that received the case, so 10:00 in Beijing reads 10:00.
 */
export function wallClock(instant: Date, timeZone: string): Date {
  // Whole seconds: a cell shows no milliseconds.
  return new Date(localTimeline(instant, timeZone) - instant.getUTCMilliseconds());
}

export type CellKind = 'text' | 'datetime' | 'money' | 'integer' | 'percent';

export interface SheetColumn {
  readonly key: string;
  readonly zh: string;
  readonly en: string;
  readonly kind: CellKind;
  /** Width in characters; a sensible default per kind otherwise. */
  readonly width?: number;
}

export type CellValue = string | number | Date | null;

const FORMAT: Readonly<Record<CellKind, string | undefined>> = {
  text: undefined,
  datetime: 'yyyy-mm-dd hh:mm',
  money: '"¥"#,##0.00',
  integer: '0',
  percent: '0.0%',
};
const WIDTH: Readonly<Record<CellKind, number>> = {
  text: 16,
  datetime: 18,
  money: 14,
  integer: 10,
  percent: 10,
};

export interface SheetSpec {
  readonly name: string;
  readonly columns: readonly SheetColumn[];
  readonly rows: readonly Readonly<Record<string, CellValue>>[];
}

/**
 * A real workbook: a bold header row in the caller's language, the header frozen (and the first
 * column, the case number, when there is one), column widths, an auto-filter, dates as Excel
 * dates and money as numbers in yuan with a ¥ format.
 */
export async function buildWorkbook(
  sheets: readonly SheetSpec[],
  locale: ExportLocale,
  meta: { readonly creator: string; readonly created: Date },
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = meta.creator;
  wb.created = meta.created;
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name, {
      views: [{ state: 'frozen', ySplit: 1, xSplit: sheet.columns[0]?.key === 'number' ? 1 : 0 }],
    });
    ws.columns = sheet.columns.map((c) => ({
      header: locale === 'en' ? c.en : c.zh,
      key: c.key,
      width: c.width ?? WIDTH[c.kind],
      ...(FORMAT[c.kind] ? { style: { numFmt: FORMAT[c.kind] as string } } : {}),
    }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF3E5E5' } };
    header.alignment = { vertical: 'middle' };
    for (const row of sheet.rows) {
      // A leading = + - @ in text would be read as a formula by some spreadsheet programs.
      const safe = Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^[=+\-@]/.test(v) ? `'${v}` : v]),
      );
      ws.addRow(safe);
    }
    if (sheet.columns.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
    }
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
