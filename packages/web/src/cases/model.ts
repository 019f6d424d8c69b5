import type {
  AumBand,
  CaseActionType,
  CaseChannel,
  CaseState,
  CaseType,
  ClockPeriod,
  CustomerTier,
  JrtBusinessType,
  JrtCause,
  JrtChannel,
  RootCauseCategory,
  Severity,
  TAssignee,
  TCustomerValueView,
} from '@serviceloop/domain';
import i18next, { type TFunction } from 'i18next';

// The case API's shapes as JSON (dates are ISO strings); type-only imports keep the domain out of the bundle.
export type { CaseActionType, CaseChannel, CaseState, CaseType, JrtBusinessType, JrtCause, JrtChannel };

export type Risk = 'ok' | 'warning' | 'breached';

export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export interface CaseListItem {
  readonly id: string;
  readonly number: string;
  readonly type: CaseType;
  readonly state: CaseState;
  readonly channel: CaseChannel;
  readonly subject: string;
  readonly orgUnitId: string;
  readonly orgUnitName: string;
  /** The owning unit's IANA zone: the case's times are shown in it. */
  readonly orgUnitTimeZone: string;
  readonly assigneeId: string | null;
  readonly assigneeName: string | null;
  readonly severity: string;
  readonly serviceLevel: string;
  readonly receivedAt: string;
  readonly nextDueAt: string | null;
  readonly risk: Risk;
  readonly compensationMinor: number;
  readonly currency: string;
}

export interface Compensation {
  readonly id: string;
  readonly amount: Money;
  readonly reason: string;
  readonly status: 'granted' | 'pending_approval' | 'approved' | 'declined';
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly note: string | null;
}

export interface Classification {
  readonly channel: JrtChannel;
  readonly businessType: JrtBusinessType;
  readonly cause: JrtCause;
  readonly otherText?: string;
}

export type CaseCustomer =
  | { readonly kind: 'linked'; readonly customerId: string }
  | { readonly kind: 'walk_in'; readonly name: string; readonly phone?: string; readonly email?: string }
  | { readonly kind: 'staff'; readonly userId: string; readonly orgUnitId: string };

export interface CaseRecord {
  readonly id: string;
  readonly number: string;
  readonly type: CaseType;
  readonly state: CaseState;
  readonly orgUnitId: string;
  readonly assigneeId: string | null;
  readonly channel: CaseChannel;
  readonly customer: CaseCustomer;
  readonly subject: string;
  readonly content: string;
  readonly complaint: {
    readonly business: string;
    readonly product?: string;
    readonly claims: {
      readonly compensation: Money | null;
      readonly remedies: readonly string[];
      readonly nonProperty: readonly string[];
      readonly nonPropertyText?: string;
    };
    readonly severity: Severity;
    readonly serviceLevel: string;
    readonly classification: Classification | null;
  } | null;
  readonly receivedAt: string;
  readonly pauses: readonly { readonly from: string; readonly to: string | null; readonly reason: string }[];
  readonly resolution: { readonly summary: string; readonly proposedAt: string } | null;
  readonly rootCause: { readonly category: RootCauseCategory; readonly text: string } | null;
  readonly compensations: readonly Compensation[];
  readonly review: {
    readonly requestedAt: string;
    readonly reason: string;
    readonly decidedAt: string | null;
    readonly outcome: 'upheld' | 'overturned' | null;
    readonly summary: string | null;
  } | null;
  readonly mergedIntoCaseId: string | null;
  readonly reopenCount: number;
  readonly closedAt: string | null;
  readonly version: number;
}

export interface ClockView {
  readonly id: string;
  readonly role: string;
  readonly clockKey: string;
  /** The configured text (English); the page words `period` in the reader's language instead. */
  readonly label: string;
  readonly period: ClockPeriod;
  readonly startedAt: string;
  readonly dueAt: string;
  readonly warnAt: string | null;
  readonly state: 'running' | 'paused' | 'stopped';
  readonly stoppedAt: string | null;
  readonly breached: boolean;
  readonly fired: readonly string[];
}

export interface TimelineEntry {
  readonly id: number;
  readonly at: string;
  readonly actorId: string | null;
  readonly type: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface CaseDetail {
  readonly case: CaseRecord;
  readonly orgUnitName: string;
  /** The owning unit's IANA zone: the case's times are shown in it. */
  readonly orgUnitTimeZone: string;
  readonly risk: Risk;
  readonly allowedActions: readonly CaseActionType[];
  readonly clocks: readonly ClockView[];
  readonly timeline: readonly TimelineEntry[];
  readonly followUps: readonly {
    readonly id: string;
    readonly dueAt: string;
    readonly status: string;
    readonly completedAt: string | null;
    readonly note: string | null;
  }[];
  readonly rating: { readonly score: number; readonly comment: string | null; readonly at: string } | null;
}

export interface CaseActionResult extends CaseDetail {
  readonly ratingToken: string | null;
}

export interface Approval {
  readonly id: string;
  readonly caseId: string;
  readonly caseNumber: string;
  readonly amount: Money;
  readonly reason: string;
  readonly status: string;
  readonly requestedAt: string;
  readonly approvalDueAt: string | null;
}

export interface SlaAlert {
  readonly key: string;
  readonly kind: 'warning' | 'breach' | 'escalation';
  readonly caseId: string;
  readonly caseNumber: string;
  readonly subject: string;
  readonly caseState: string;
  readonly orgUnitTimeZone: string;
  readonly clock: string;
  readonly levels: readonly string[];
  readonly firedAt: string;
  readonly open: boolean;
}

export interface CountRow {
  readonly key: string;
  readonly count: number;
  readonly name?: string;
}

export interface CaseReport {
  readonly total: number;
  readonly byJrtChannel: readonly CountRow[];
  readonly byJrtBusinessType: readonly CountRow[];
  readonly byJrtCause: readonly CountRow[];
  readonly byBranch: readonly CountRow[];
  readonly byMonth: readonly CountRow[];
  readonly byRootCause: readonly CountRow[];
  readonly sla: {
    readonly clocks: number;
    readonly met: number;
    readonly breached: number;
    readonly compliance: number | null;
  };
  readonly recovery: {
    readonly compensationMinor: number;
    readonly casesWithCompensation: number;
    readonly currency: string;
    /** Compensated cases whose customer has a value on file: cost against retained value. */
    readonly valued: {
      readonly cases: number;
      readonly customers: number;
      readonly compensationMinor: number;
      readonly retainedValueMinor: number;
      readonly replacementCostMinor: number;
      readonly byVerdict: readonly { readonly verdict: RecoveryVerdict; readonly count: number }[];
      readonly byTier: readonly {
        readonly tier: CustomerTier;
        readonly cases: number;
        readonly compensationMinor: number;
        readonly retainedValueMinor: number;
      }[];
    };
  };
}

// Runtime lists for selects come from the domain's zod-free keys module (nothing else of the domain is bundled).
export {
  CaseChannels as ChannelList,
  CaseStates as CaseStateList,
  CaseTypes as CaseTypeList,
  JrtBusinessTypeKeys as JrtBusinessList,
  JrtCauseKeys as JrtCauseList,
  JrtChannelKeys as JrtChannelList,
  NonPropertyClaimKinds as NonPropertyList,
  Remedies as RemedyList,
  RootCauseCategories as RootCauseList,
  Severities as SeverityList,
} from '@serviceloop/domain/cases/keys';
export const RiskList = ['ok', 'warning', 'breached'] as const satisfies readonly Risk[];

/** "150" or "150.5" yuan → 15000 / 15050 fen, exactly (no floating point); undefined when not a valid amount. */
export function yuanToFen(input: string | number | null | undefined): number | undefined {
  if (input === null || input === undefined) return undefined;
  const text = String(input).trim().replaceAll(',', '');
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { style: 'currency', currency }).format(
    minor / 100,
  );
}

export const RISK_COLOUR: Readonly<Record<Risk, string>> = {
  ok: 'green',
  warning: 'orange',
  breached: 'red',
};

/** Risk of one due time as seen now; the server's answer wins when it is worse. */
export function riskAt(dueAt: string | null, warnAt: string | null, now: number): Risk {
  if (!dueAt) return 'ok';
  if (new Date(dueAt).getTime() <= now) return 'breached';
  if (warnAt && new Date(warnAt).getTime() <= now) return 'warning';
  return 'ok';
}

/** "剩 2小时15分" / "超时 1天3小时" for a due time. */
export function countdown(dueAt: string | null, now: number, t: TFunction): string {
  if (!dueAt) return t('cases.countdown.none');
  const diff = new Date(dueAt).getTime() - now;
  const abs = Math.abs(diff);
  const minutes = Math.floor(abs / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [
    d > 0 ? t('cases.countdown.d', { n: d }) : '',
    h > 0 ? t('cases.countdown.h', { n: h }) : '',
    d === 0 ? t('cases.countdown.m', { n: m }) : '',
  ].filter(Boolean);
  const time = parts.join(' ');
  return diff >= 0 ? t('cases.countdown.left', { time }) : t('cases.countdown.overdue', { time });
}

/** A label for a key that comes from the server (clock role, event type, …); the key itself when unknown. */
export function labelOf(group: string, key: string): string {
  const path = `cases.${group}.${key}`;
  const value: unknown =
    i18next.getResource(i18next.language, 'translation', path) ??
    i18next.getResource('zh-CN', 'translation', path);
  return typeof value === 'string' ? value : key;
}

export type RecoveryVerdict = 'economic' | 'marginal' | 'uneconomic';
export type { AumBand, CustomerTier };
export type CustomerValue = TCustomerValueView;

/** A handler the staff picker offers, with their open-case load. */
export type Assignee = TAssignee;

export interface Economics {
  readonly cost: Money;
  readonly relationshipValue: Money;
  readonly replacementCost: Money;
  readonly costToValue: number | null;
  readonly verdict: RecoveryVerdict;
}

/** GET /cases/:id/economics: compensation against the customer's value. */
export interface CaseEconomics {
  readonly missing: 'walk_in' | 'staff' | 'no_value' | null;
  readonly customer: {
    readonly customerId: string;
    readonly customerNo: string;
    readonly tier: CustomerTier;
    readonly value: CustomerValue | null;
  } | null;
  readonly paid: Money;
  readonly pending: Money;
  readonly claimed: Money | null;
  readonly offered: Economics | null;
  readonly atClaim: Economics | null;
}

export const VERDICT_COLOUR: Readonly<Record<RecoveryVerdict, string>> = {
  economic: 'green',
  marginal: 'gold',
  uneconomic: 'red',
};
