import type { ClockPeriod } from '@serviceloop/domain';
import type { TFunction } from 'i18next';

/** Roles that have their own words ("acknowledge", "decision", …); others read "within …". */
const ROLES = ['acknowledgement', 'first_response', 'resolution', 'approval', 'review_decision'] as const;
type WordedRole = (typeof ROLES)[number];
const isWorded = (role: string): role is WordedRole => (ROLES as readonly string[]).includes(role);

/** Day end and roll-over only mean something for periods counted in days. */
const DAY_MODES: ReadonlySet<ClockPeriod['mode']> = new Set(['calendar_days', 'business_days', 'weeks']);

function periodText(mode: ClockPeriod['mode'], amount: number, t: TFunction): string {
  // Hour modes accept fractions (0.5 = 30 minutes): say them in minutes.
  if ((mode === 'hours' || mode === 'business_hours') && !Number.isInteger(amount)) {
    const unit = mode === 'hours' ? 'minutes' : 'business_minutes';
    return t(`cases.clockText.period.${unit}`, { count: Math.round(amount * 60) });
  }
  return t(`cases.clockText.period.${mode}`, { count: amount });
}

/**
 * A clock's time limit in the reader's language, worded from its figures rather than the
 * configured (English) label: "4 个工作小时内确认受理" / "Acknowledge within 4 business hours".
 */
export function clockText(role: string, period: ClockPeriod, t: TFunction): string {
  const qualifiers: string[] = [];
  if (DAY_MODES.has(period.mode)) {
    if (period.end === 'close_of_business') qualifiers.push(t('cases.clockText.closeOfBusiness'));
    if (period.rollOver !== 'none') qualifiers.push(t(`cases.clockText.rollOver.${period.rollOver}`));
  }
  if (period.extendedBy > 0) {
    qualifiers.push(t('cases.clockText.extended', { period: periodText(period.mode, period.extendedBy, t) }));
  }
  const args = { period: periodText(period.mode, period.amount, t), qualifiers: qualifiers.join('') };
  return isWorded(role)
    ? t('cases.clockText.sentence', { ...args, what: t(`cases.clockText.what.${role}`) })
    : t('cases.clockText.within', args);
}
