import { ClockCircleOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  type CalendarWeekday,
  CalendarWeekdays,
  minutesOfDay,
  WORKING_HOURS_STEP_MINUTES,
  type WorkingHoursIssue,
  weeklyHoursIssues,
} from '@serviceloop/domain/cases/working-hours';
import { Alert, Button, Card, Input, Select, Space, Switch, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../shell/api.ts';
import type { TBusinessCalendar } from './config-model.ts';

export type Interval = { start: string; end: string };
export type WeeklyHours = TBusinessCalendar['weeklyHours'];

const pad = (n: number) => String(n).padStart(2, '0');
const timeOf = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
/** 00:00 … 24:00 on the quarter-hour grid. */
const TIMES = Array.from({ length: (24 * 60) / WORKING_HOURS_STEP_MINUTES + 1 }, (_, i) =>
  timeOf(i * WORKING_HOURS_STEP_MINUTES),
);
const LABEL_WIDTH = 84;
const START_OPTIONS = TIMES.slice(0, -1).map((x) => ({ value: x, label: x }));
const END_OPTIONS = TIMES.slice(1).map((x) => ({ value: x, label: x }));

/** The working intervals of a local date: a make-up day's own, the calendar's make-up hours, else its weekday's. */
export function hoursOn(
  calendar: TBusinessCalendar,
  date: string,
  weekday: CalendarWeekday,
): readonly Interval[] {
  if (calendar.holidays.some((h) => h.date === date)) return [];
  const makeUp = calendar.makeUpDays.find((m) => m.date === date);
  if (makeUp) return makeUp.hours ?? makeUpDefaultHours(calendar);
  return calendar.weeklyHours[weekday];
}

/** What a make-up day without hours of its own works: the calendar's make-up hours, else the first open weekday's. */
export function makeUpDefaultHours(calendar: TBusinessCalendar): readonly Interval[] {
  if (calendar.makeUpDayHours && calendar.makeUpDayHours.length > 0) return calendar.makeUpDayHours;
  return CalendarWeekdays.map((d) => calendar.weeklyHours[d]).find((h) => h.length > 0) ?? [];
}

export function hoursText(hours: readonly Interval[]): string {
  return hours.map((i) => `${i.start}–${i.end}`).join(', ');
}

/** The intervals of a day on a 24-hour strip (look rather than read). */
function DayStrip({ hours }: { readonly hours: readonly Interval[] }) {
  return (
    <div
      aria-hidden
      style={{
        position: 'relative',
        height: 14,
        borderRadius: 3,
        background:
          'repeating-linear-gradient(to right, #f5f5f5 0, #f5f5f5 calc(25% - 1px), #e8e8e8 calc(25% - 1px), #e8e8e8 25%)',
      }}
    >
      {hours.map((i) => {
        const left = (minutesOfDay(i.start) / (24 * 60)) * 100;
        const width = ((minutesOfDay(i.end) - minutesOfDay(i.start)) / (24 * 60)) * 100;
        return (
          <div
            key={`${i.start}-${i.end}`}
            style={{
              position: 'absolute',
              left: `${left}%`,
              width: `${Math.max(width, 0)}%`,
              top: 0,
              bottom: 0,
              background: '#1677ff',
              borderRadius: 3,
            }}
          />
        );
      })}
    </div>
  );
}

/** An hours rule broken, naming the weekday or (a make-up day) the date. */
export function issueText(issue: WorkingHoursIssue, t: TFunction): string {
  return t(`cases.calendars.hours.rules.${issue.rule}`, {
    day: issue.params.weekday
      ? t(`cases.calendars.hours.day.${issue.params.weekday as CalendarWeekday}`)
      : (issue.params.date ?? ''),
    start: issue.params.start ?? '',
    end: issue.params.end ?? '',
    time: issue.params.time ?? '',
    step: WORKING_HOURS_STEP_MINUTES,
  });
}

/**
 * One day's intervals as from–to selects on the quarter-hour grid; a break is a second interval.
 * Test ids `<prefix>-<i>-start` and `-end`.
 */
export function IntervalsEditor({
  hours,
  dayLabel,
  testIdPrefix,
  onChange,
}: {
  readonly hours: readonly Interval[];
  readonly dayLabel: string;
  readonly testIdPrefix: string;
  readonly onChange: (hours: Interval[]) => void;
}) {
  const { t } = useTranslation();
  const setInterval = (index: number, patch: Partial<Interval>) =>
    onChange(hours.map((x, i) => (i === index ? { ...x, ...patch } : x)));
  const addInterval = () => {
    const last = hours[hours.length - 1];
    const from = last ? Math.min(minutesOfDay(last.end) + 60, 23 * 60) : 9 * 60;
    onChange([...hours, { start: timeOf(from), end: timeOf(Math.min(from + 4 * 60, 24 * 60)) }]);
  };
  return (
    <Space wrap size={6}>
      {hours.map((interval, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: intervals are positional; a changed time must not remount its select
        <Space.Compact key={i}>
          <Select
            showSearch
            size="small"
            aria-label={t('cases.calendars.hours.from', { day: dayLabel })}
            data-testid={`${testIdPrefix}-${i}-start`}
            value={interval.start}
            options={START_OPTIONS}
            onChange={(start) => setInterval(i, { start })}
            style={{ width: 88 }}
          />
          <Select
            showSearch
            size="small"
            aria-label={t('cases.calendars.hours.to', { day: dayLabel })}
            data-testid={`${testIdPrefix}-${i}-end`}
            value={interval.end}
            options={END_OPTIONS}
            onChange={(end) => setInterval(i, { end })}
            style={{ width: 88 }}
          />
          {hours.length > 1 && (
            <Button
              size="small"
              icon={<DeleteOutlined />}
              aria-label={t('cases.calendars.hours.removeInterval')}
              onClick={() => onChange(hours.filter((_x, j) => j !== i))}
            />
          )}
        </Space.Compact>
      ))}
      {hours.length > 0 && hours.length < 4 && (
        <Button size="small" type="link" icon={<PlusOutlined />} onClick={addInterval}>
          {t('cases.calendars.hours.addInterval')}
        </Button>
      )}
    </Space>
  );
}

/**
 * The unit calendar's weekly working hours: each weekday on a 24-hour strip, and (with
 * `case.configure`) an editor — per weekday closed, or open from–to in quarter hours, with a
 * break as a second interval — that saves a new calendar version.
 */
export function WorkingHoursCard({
  calendar,
  canEdit,
  busy,
  onSave,
}: {
  readonly calendar: TBusinessCalendar;
  readonly canEdit: boolean;
  readonly busy: boolean;
  /** Saves a new calendar version; throws what the server refused. */
  readonly onSave: (hours: WeeklyHours, note: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<WeeklyHours | undefined>();
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const week = draft ?? calendar.weeklyHours;
  const edited = useMemo(
    () =>
      CalendarWeekdays.filter(
        (d) => draft && JSON.stringify(draft[d]) !== JSON.stringify(calendar.weeklyHours[d]),
      ),
    [draft, calendar],
  );
  // The server's rules, for the days changed here (an imported calendar's odd hours stay as they are).
  const issues = useMemo(
    () =>
      draft ? weeklyHoursIssues(draft).filter((i) => edited.some((d) => i.path.startsWith(`${d}.`))) : [],
    [draft, edited],
  );
  const noWorkingTime =
    draft !== undefined &&
    CalendarWeekdays.every((d) => draft[d].length === 0) &&
    calendar.makeUpDays.length === 0;

  const setDay = (day: CalendarWeekday, hours: Interval[]) => setDraft({ ...week, [day]: hours });
  const save = async () => {
    if (!draft) return;
    const summary = edited
      .map(
        (d) =>
          `${t(`cases.calendars.hours.day.${d}`)} ${hoursText(draft[d]) || t('cases.calendars.hours.closed')}`,
      )
      .join('；');
    setError(undefined);
    try {
      await onSave(draft, note.trim() || summary);
      setDraft(undefined);
      setNote('');
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Card
      size="small"
      data-testid="working-hours"
      title={
        <Space>
          <ClockCircleOutlined />
          {t('cases.calendars.hours.title')}
        </Space>
      }
      extra={
        canEdit &&
        !draft && (
          <Button
            size="small"
            icon={<EditOutlined />}
            data-testid="hours-edit"
            onClick={() => setDraft(calendar.weeklyHours)}
          >
            {t('cases.calendars.hours.edit')}
          </Button>
        )
      }
    >
      <Space direction="vertical" size={6} style={{ width: '100%' }}>
        {CalendarWeekdays.map((day) => {
          const hours = week[day];
          const dayIssues = issues.filter((i) => i.path.startsWith(`${day}.`));
          return (
            <div key={day} data-testid={`hours-${day}`} data-hours={hoursText(hours)}>
              <div
                style={{
                  display: 'grid',
                  gridTemplateColumns: draft ? `${LABEL_WIDTH}px 1fr` : `${LABEL_WIDTH}px 140px 1fr`,
                  alignItems: 'center',
                  columnGap: 12,
                }}
              >
                <Typography.Text strong>{t(`cases.calendars.hours.day.${day}`)}</Typography.Text>
                {draft ? (
                  <Space wrap size={6}>
                    <Switch
                      size="small"
                      data-testid={`hours-open-${day}`}
                      checked={hours.length > 0}
                      checkedChildren={t('cases.calendars.hours.open')}
                      unCheckedChildren={t('cases.calendars.hours.closed')}
                      onChange={(open) => setDay(day, open ? [{ start: '09:00', end: '17:00' }] : [])}
                    />
                    <IntervalsEditor
                      hours={hours}
                      dayLabel={t(`cases.calendars.hours.day.${day}`)}
                      testIdPrefix={`hours-${day}`}
                      onChange={(next) => setDay(day, next)}
                    />
                    {edited.includes(day) && <Tag color="blue">{t('cases.calendars.hours.changed')}</Tag>}
                  </Space>
                ) : (
                  <>
                    {hours.length > 0 ? (
                      <Typography.Text style={{ fontVariantNumeric: 'tabular-nums' }}>
                        {hoursText(hours)}
                      </Typography.Text>
                    ) : (
                      <span>
                        <Tag>{t('cases.calendars.hours.closed')}</Tag>
                      </span>
                    )}
                    <DayStrip hours={hours} />
                  </>
                )}
              </div>
              {dayIssues.map((i) => (
                <Typography.Text
                  key={i.path + i.rule}
                  type="danger"
                  style={{ display: 'block', marginLeft: LABEL_WIDTH + 12, fontSize: 12 }}
                  data-testid={`hours-issue-${day}`}
                >
                  {issueText(i, t)}
                </Typography.Text>
              ))}
            </div>
          );
        })}
        {!draft && (
          <div
            aria-hidden
            style={{
              display: 'grid',
              gridTemplateColumns: `${LABEL_WIDTH}px 140px 1fr`,
              columnGap: 12,
              fontSize: 11,
              color: 'rgba(0,0,0,0.45)',
            }}
          >
            <span />
            <span />
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              {['00', '06', '12', '18', '24'].map((h) => (
                <span key={h}>{h}</span>
              ))}
            </div>
          </div>
        )}
        {!draft && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cases.calendars.hours.hint', { zone: calendar.timeZone })}
          </Typography.Text>
        )}
        {draft && (
          <>
            {error !== undefined && (
              <Alert
                type="error"
                showIcon
                data-testid="hours-error"
                title={describeError(error, t).title}
                description={describeError(error, t).detail}
              />
            )}
            {noWorkingTime && (
              <Alert type="error" showIcon title={t('cases.calendars.hours.noWorkingTime')} />
            )}
            <Input
              aria-label={t('cases.settings.note')}
              placeholder={t('cases.settings.notePlaceholder')}
              data-testid="hours-note"
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('cases.calendars.editHint')}
            </Typography.Text>
            <Space>
              <Button
                type="primary"
                data-testid="hours-save"
                loading={busy}
                disabled={edited.length === 0 || issues.length > 0 || noWorkingTime}
                onClick={() => void save()}
              >
                {t('cases.calendars.saveDay')}
              </Button>
              <Button
                onClick={() => {
                  setDraft(undefined);
                  setNote('');
                  setError(undefined);
                }}
              >
                {t('common.cancel')}
              </Button>
            </Space>
          </>
        )}
      </Space>
    </Card>
  );
}
