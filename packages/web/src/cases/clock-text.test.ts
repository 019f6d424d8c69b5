import type { ClockPeriod } from '@serviceloop/domain';
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { clockText } from './clock-text.ts';
import { casesEn, casesZh } from './i18n.ts';

const i18n = i18next.createInstance();
const period = (over: Partial<ClockPeriod>): ClockPeriod => ({
  mode: 'business_hours',
  amount: 4,
  end: 'end_of_day',
  rollOver: 'none',
  extendedBy: 0,
  ...over,
});

beforeAll(async () => {
  await i18n.init({
    lng: 'zh-CN',
    resources: { 'zh-CN': { translation: { cases: casesZh } }, en: { translation: { cases: casesEn } } },
    interpolation: { escapeValue: false },
  });
});

const both = (role: string, p: ClockPeriod) => [
  clockText(role, p, i18n.getFixedT('zh-CN')),
  clockText(role, p, i18n.getFixedT('en')),
];

describe('clockText', () => {
  it('words an hour limit in either language', () => {
    expect(both('acknowledgement', period({}))).toEqual([
      '4 个工作小时内确认受理',
      'Acknowledge within 4 business hours',
    ]);
    expect(both('acknowledgement', period({ amount: 1, mode: 'hours' }))).toEqual([
      '1 小时内确认受理',
      'Acknowledge within 1 hour',
    ]);
  });

  it('says a fraction of an hour in minutes, and ignores day-end settings of hour modes', () => {
    expect(both('first_response', period({ amount: 0.5, end: 'close_of_business' }))).toEqual([
      '30 个工作分钟内首次答复',
      'First response within 30 business minutes',
    ]);
  });

  it('adds close of business, roll-over and an applied extension to day limits', () => {
    expect(
      both('first_response', period({ mode: 'business_days', amount: 1, end: 'close_of_business' })),
    ).toEqual([
      '1 个工作日内首次答复，营业终了届满',
      'First response within 1 business day, by close of business',
    ]);
    expect(
      both(
        'resolution',
        period({ mode: 'calendar_days', amount: 30, rollOver: 'rest_days', extendedBy: 30 }),
      ),
    ).toEqual([
      '30 个自然日内作出处理决定，遇休息日顺延（已延长 30 个自然日）',
      'Decision within 30 calendar days, rolling over rest days (extended by 30 calendar days)',
    ]);
  });

  it('a role without words of its own reads "within …"', () => {
    expect(both('something_new', period({ mode: 'weeks', amount: 8 }))).toEqual(['8 周内', 'Within 8 weeks']);
  });
});
