import { InboxOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import { makeUpDayHoursIssues } from '@serviceloop/domain/cases/working-hours';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { formatDateTime } from '../shell/format.ts';
import {
  type CalendarChangeResult,
  configApi,
  type DayKind,
  kindOf,
  plainDate,
  type TBusinessCalendar,
  type UnitCalendarView,
  WeekdayKeys,
  weekdayIndex,
} from './config-model.ts';
import { DuePreview, UnitPicker, unitName, useUnitView } from './config-ui.tsx';
import {
  hoursOn,
  hoursText,
  type Interval,
  IntervalsEditor,
  issueText,
  makeUpDefaultHours,
  type WeeklyHours,
  WorkingHoursCard,
} from './WorkingHours.tsx';

const KIND_STYLE: Readonly<Record<DayKind, { background: string; color: string }>> = {
  working: { background: '#fff', color: 'rgba(0,0,0,0.88)' },
  weekend: { background: '#f5f5f5', color: 'rgba(0,0,0,0.45)' },
  holiday: { background: '#fff1f0', color: '#cf1322' },
  make_up: { background: '#fff7e6', color: '#d46b08' },
};

type Pending = Map<string, 'holiday' | 'make_up' | 'removed'>;

function pendingOf(result: CalendarChangeResult | undefined): Pending {
  const map: Pending = new Map();
  if (!result) return map;
  for (const d of result.diff.holidaysRemoved) map.set(d.date, 'removed');
  for (const d of result.diff.makeUpRemoved) map.set(d.date, 'removed');
  for (const d of result.diff.holidaysAdded) map.set(d.date, 'holiday');
  for (const d of result.diff.makeUpAdded) map.set(d.date, 'make_up');
  return map;
}

/** One month as a 7-column grid (Monday first): holidays red, make-up working days (调休) orange. */
function MonthGrid({
  calendar,
  year,
  month,
  pending,
  today,
  onPick,
}: {
  readonly calendar: TBusinessCalendar;
  readonly year: number;
  readonly month: number;
  readonly pending: Pending;
  readonly today: string;
  readonly onPick?: ((date: string) => void) | undefined;
}) {
  const { t } = useTranslation();
  const first = plainDate(year, month, 1);
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = weekdayIndex(first);
  // The first date starts in its weekday's column; no placeholder cells.
  const cells = Array.from({ length: days }, (_, i) => plainDate(year, month, i + 1));
  const names = new Map([...calendar.holidays, ...calendar.makeUpDays].map((d) => [d.date, d.name]));
  return (
    <div data-testid="month-grid" data-month={first.slice(0, 7)}>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 4, marginBottom: 4 }}>
        {WeekdayKeys.map((w) => (
          <div key={w} style={{ textAlign: 'center', fontWeight: 600, color: 'rgba(0,0,0,0.55)' }}>
            {t(`cases.calendars.weekday.${w}`)}
          </div>
        ))}
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 4 }}>
        {cells.map((date, i) => {
          const kind = kindOf(calendar, date);
          const change = pending.get(date);
          const style = KIND_STYLE[kind];
          return (
            <button
              type="button"
              key={date}
              data-testid={`day-${date}`}
              data-kind={kind}
              data-pending={change ?? ''}
              disabled={!onPick}
              onClick={() => onPick?.(date)}
              title={names.get(date) ?? ''}
              style={{
                ...style,
                ...(i === 0 ? { gridColumnStart: lead + 1 } : {}),
                minHeight: 64,
                padding: 6,
                textAlign: 'left',
                border: change
                  ? '2px dashed #1677ff'
                  : date === today
                    ? '2px solid #b1272d'
                    : '1px solid #f0f0f0',
                borderRadius: 6,
                cursor: onPick ? 'pointer' : 'default',
                font: 'inherit',
                overflow: 'hidden',
              }}
            >
              <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
                <span style={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
                  {Number(date.slice(8))}
                </span>
                {kind === 'holiday' && (
                  <Tag color="red" bordered={false} style={{ marginInlineEnd: 0 }}>
                    {t('cases.calendars.rest')}
                  </Tag>
                )}
                {kind === 'make_up' && (
                  <Tag color="orange" bordered={false} style={{ marginInlineEnd: 0 }}>
                    {t('cases.calendars.work')}
                  </Tag>
                )}
              </div>
              {(kind === 'holiday' || kind === 'make_up') && (
                <div
                  style={{ fontSize: 12, whiteSpace: 'nowrap', textOverflow: 'ellipsis', overflow: 'hidden' }}
                >
                  {names.get(date)}
                </div>
              )}
              {(kind === 'working' || kind === 'make_up') && (
                <div
                  data-testid={`day-hours-${date}`}
                  style={{
                    fontSize: 11,
                    color: 'rgba(0,0,0,0.45)',
                    whiteSpace: 'nowrap',
                    textOverflow: 'ellipsis',
                    overflow: 'hidden',
                    fontVariantNumeric: 'tabular-nums',
                  }}
                >
                  {hoursText(hoursOn(calendar, date, WeekdayKeys[weekdayIndex(date)] ?? 'mon'))}
                </div>
              )}
              {change && (
                <div style={{ fontSize: 12, color: '#1677ff' }}>{t(`cases.calendars.pending.${change}`)}</div>
              )}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** "Nov" / "11月", or "November 2026" / "2026年11月". */
function monthName(year: number, month: number, locale: string, style: 'short' | 'title'): string {
  return new Date(Date.UTC(year, month, 1)).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'UTC',
    ...(style === 'short' ? { month: 'short' } : { year: 'numeric', month: 'long' }),
  });
}

function YearChart({ calendar, year }: { readonly calendar: TBusinessCalendar; readonly year: number }) {
  const { t, i18n } = useTranslation();
  const count = (xs: readonly { date: string }[]) =>
    Array.from(
      { length: 12 },
      (_, m) => xs.filter((d) => d.date.startsWith(plainDate(year, m, 1).slice(0, 7))).length,
    );
  const option: EChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 32, right: 8, top: 32, bottom: 24 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 12 }, (_, m) => monthName(year, m, i18n.language, 'short')),
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('cases.calendars.legend.holiday'),
        data: count(calendar.holidays),
        itemStyle: { color: '#cf1322' },
      },
      {
        type: 'bar',
        name: t('cases.calendars.legend.make_up'),
        data: count(calendar.makeUpDays),
        itemStyle: { color: '#fa8c16' },
      },
    ],
  };
  return <EChart option={option} height={180} label={t('cases.calendars.yearChart', { year })} />;
}

function DiffPreview({
  result,
  fileName,
  onApply,
  onCancel,
  applying,
}: {
  readonly result: CalendarChangeResult;
  readonly fileName: string;
  readonly onApply: () => void;
  readonly onCancel: () => void;
  readonly applying: boolean;
}) {
  const { t } = useTranslation();
  const d = result.diff;
  const rows = [
    ...d.holidaysAdded.map((x) => ({ ...x, change: 'holidayAdded' as const })),
    ...d.holidaysRemoved.map((x) => ({ ...x, change: 'holidayRemoved' as const })),
    ...d.makeUpAdded.map((x) => ({ ...x, change: 'makeUpAdded' as const })),
    ...d.makeUpRemoved.map((x) => ({ ...x, change: 'makeUpRemoved' as const })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.change.localeCompare(b.change));
  const colour = {
    holidayAdded: 'red',
    holidayRemoved: 'default',
    makeUpAdded: 'orange',
    makeUpRemoved: 'default',
  };
  return (
    <Card
      size="small"
      type="inner"
      title={t('cases.calendars.previewTitle', { file: fileName })}
      data-testid="import-preview"
      style={{ borderColor: '#1677ff' }}
    >
      <Row gutter={8}>
        <Col span={6}>
          <Statistic
            title={t('cases.calendars.change.holidayAdded')}
            value={d.holidaysAdded.length}
            data-testid="preview-holidays-added"
          />
        </Col>
        <Col span={6}>
          <Statistic title={t('cases.calendars.change.holidayRemoved')} value={d.holidaysRemoved.length} />
        </Col>
        <Col span={6}>
          <Statistic
            title={t('cases.calendars.change.makeUpAdded')}
            value={d.makeUpAdded.length}
            data-testid="preview-makeup-added"
          />
        </Col>
        <Col span={6}>
          <Statistic title={t('cases.calendars.change.makeUpRemoved')} value={d.makeUpRemoved.length} />
        </Col>
      </Row>
      {result.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title={t('cases.calendars.warnings', { count: result.warnings.length })}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {result.warnings.slice(0, 10).map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          }
        />
      )}
      {d.changedDays === 0 ? (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('cases.calendars.noChanges')} />
      ) : (
        <Table
          size="small"
          style={{ marginTop: 12 }}
          rowKey={(r) => `${r.date}-${r.change}`}
          dataSource={rows}
          pagination={{ pageSize: 8, hideOnSinglePage: true }}
          data-testid="preview-rows"
          columns={[
            { title: t('cases.calendars.date'), dataIndex: 'date', width: 110 },
            {
              title: t('cases.calendars.changeLabel'),
              dataIndex: 'change',
              render: (c: keyof typeof colour) => (
                <Tag color={colour[c]}>{t(`cases.calendars.change.${c}`)}</Tag>
              ),
            },
            { title: t('cases.calendars.name'), dataIndex: 'name' },
          ]}
        />
      )}
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          data-testid="import-apply"
          disabled={d.changedDays === 0}
          loading={applying}
          onClick={onApply}
        >
          {t('cases.calendars.apply', { count: d.changedDays })}
        </Button>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
      </Space>
    </Card>
  );
}

/** The day being set in the dialog; `hours` only for a make-up day with hours of its own. */
interface EditDay {
  readonly date: string;
  readonly kind: DayKind;
  readonly name: string;
  readonly hours: Interval[] | undefined;
}

/** A make-up working day's hours: the calendar's default, or its own (from–to, like the weekly hours). */
function MakeUpHours({
  calendar,
  date,
  hours,
  onChange,
  issues,
}: {
  readonly calendar: TBusinessCalendar;
  readonly date: string;
  readonly hours: Interval[] | undefined;
  readonly onChange: (hours: Interval[] | undefined) => void;
  readonly issues: readonly string[];
}) {
  const { t } = useTranslation();
  const fallback = makeUpDefaultHours(calendar);
  return (
    <Space direction="vertical" size={6} style={{ width: '100%' }} data-testid="makeup-hours">
      <Typography.Text strong>{t('cases.calendars.makeUp.hours')}</Typography.Text>
      <Radio.Group
        data-testid="makeup-hours-mode"
        value={hours ? 'custom' : 'default'}
        onChange={(e) =>
          onChange(
            e.target.value === 'custom'
              ? fallback.length > 0
                ? fallback.map((i) => ({ ...i }))
                : [{ start: '09:00', end: '17:00' }]
              : undefined,
          )
        }
        options={[
          {
            value: 'default',
            label: t('cases.calendars.makeUp.default', { hours: hoursText(fallback) }),
          },
          { value: 'custom', label: t('cases.calendars.makeUp.custom') },
        ]}
      />
      {hours && (
        <IntervalsEditor hours={hours} dayLabel={date} testIdPrefix="makeup-hours" onChange={onChange} />
      )}
      {issues.map((text) => (
        <Typography.Text key={text} type="danger" style={{ fontSize: 12 }} data-testid="makeup-hours-issue">
          {text}
        </Typography.Text>
      ))}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('cases.calendars.makeUp.hint')}
      </Typography.Text>
    </Space>
  );
}

/**
 * A unit's business calendar: month grid with holidays and make-up working days, where it comes
 * from (own, inherited, built-in), .ics import with a preview of what changes before applying,
 * single-day edits, and the due times a new case would get with it.
 */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user, unitId, setUnitId, reloadKey, reload, view } = useUnitView(configApi.calendar);
  const now = new Date();
  const today = plainDate(now.getFullYear(), now.getMonth(), now.getDate());
  const [cursor, setCursor] = useState({ year: now.getFullYear(), month: now.getMonth() });
  const [mode, setMode] = useState<'merge' | 'replace_years'>('merge');
  const [upload, setUpload] = useState<{ name: string; text: string } | undefined>();
  const [preview, setPreview] = useState<CalendarChangeResult | undefined>();
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [copyFrom, setCopyFrom] = useState<string | undefined>();
  const [editDay, setEditDay] = useState<EditDay | undefined>();
  const [dayError, setDayError] = useState<unknown>(undefined);
  const canEdit = user.can('case.configure');
  const v: UnitCalendarView | undefined = view.data;
  const pending = useMemo(() => pendingOf(preview), [preview]);

  const done = (result: CalendarChangeResult, text: string) => {
    void message.success(text);
    setPreview(undefined);
    setUpload(undefined);
    setError(undefined);
    reload();
    return result;
  };

  const runPreview = async (file: { name: string; text: string }, m: 'merge' | 'replace_years') => {
    if (!v) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await configApi.importIcs(
        unitId,
        { ics: file.text, fileName: file.name, mode: m, expectedVersion: v.version },
        true,
      );
      setPreview(result);
      const firstChange = [...pendingOf(result).keys()].sort()[0];
      if (firstChange)
        setCursor({ year: Number(firstChange.slice(0, 4)), month: Number(firstChange.slice(5, 7)) - 1 });
    } catch (e) {
      setPreview(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!v || !upload) return;
    setBusy(true);
    try {
      const result = await configApi.importIcs(
        unitId,
        { ics: upload.text, fileName: upload.name, mode, expectedVersion: v.version },
        false,
      );
      done(result, t('cases.calendars.applied', { version: result.view.version }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const change = async (body: Parameters<typeof configApi.changeCalendar>[1], success: string) => {
    setBusy(true);
    try {
      done(await configApi.changeCalendar(unitId, body, false), success);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const saveDay = async () => {
    if (!v || !editDay) return;
    const { id: _id, ...cal } = v.effective.calendar;
    const name =
      editDay.name.trim() ||
      t(`cases.calendars.defaultName.${editDay.kind === 'make_up' ? 'make_up' : 'holiday'}`);
    const holidays = cal.holidays.filter((h) => h.date !== editDay.date);
    const makeUpDays = cal.makeUpDays.filter((m) => m.date !== editDay.date);
    if (editDay.kind === 'holiday') holidays.push({ date: editDay.date, name });
    if (editDay.kind === 'make_up')
      makeUpDays.push({ date: editDay.date, name, ...(editDay.hours ? { hours: editDay.hours } : {}) });
    const year = Number(editDay.date.slice(0, 4));
    const years = [...new Set([...(cal.coveredYears ?? []), year])].sort((a, b) => a - b);
    const sort = <T extends { date: string }>(xs: T[]) => xs.sort((a, b) => a.date.localeCompare(b.date));
    const hours = editDay.kind === 'make_up' && editDay.hours ? ` ${hoursText(editDay.hours)}` : '';
    setBusy(true);
    setDayError(undefined);
    try {
      const result = await configApi.changeCalendar(
        unitId,
        {
          expectedVersion: v.version,
          change: {
            action: 'set',
            calendar: { ...cal, holidays: sort(holidays), makeUpDays: sort(makeUpDays), coveredYears: years },
          },
          note: `${editDay.date} → ${t(`cases.calendars.legend.${editDay.kind}`)}${hours}`,
        },
        false,
      );
      done(result, t('cases.calendars.daySaved', { date: editDay.date }));
      setEditDay(undefined);
    } catch (e) {
      // The dialog stays open with the server's reason.
      setDayError(e);
    } finally {
      setBusy(false);
    }
  };

  // Own hours of a make-up day, checked by the server's rules when they are new or changed
  // (an imported day's hours pass as they are).
  const dayIssues = useMemo(() => {
    if (!v || editDay?.kind !== 'make_up' || !editDay.hours) return [];
    const before = v.effective.calendar.makeUpDays.find((m) => m.date === editDay.date)?.hours;
    if (JSON.stringify(before) === JSON.stringify(editDay.hours)) return [];
    return makeUpDayHoursIssues([{ date: editDay.date, hours: editDay.hours }]);
  }, [v, editDay]);

  const saveHours = async (weeklyHours: WeeklyHours, note: string) => {
    if (!v) return;
    const { id: _id, ...cal } = v.effective.calendar;
    setBusy(true);
    try {
      done(
        await configApi.changeCalendar(
          unitId,
          { expectedVersion: v.version, change: { action: 'set', calendar: { ...cal, weeklyHours } }, note },
          false,
        ),
        t('cases.calendars.hours.saved'),
      );
    } finally {
      setBusy(false);
    }
  };

  const sourceTag = v && (
    <Tag
      color={
        v.effective.source === 'own' ? 'blue' : v.effective.source === 'inherited' ? 'purple' : 'default'
      }
      data-testid="calendar-source"
      data-ref={v.effective.ref}
    >
      {v.effective.source === 'own'
        ? t('cases.calendars.source.own', { version: v.effective.version })
        : v.effective.source === 'inherited'
          ? t('cases.calendars.source.inherited', {
              unit: unitName(v.effective.sourceUnit, i18n.language),
              version: v.effective.version,
            })
          : t('cases.calendars.source.built_in', { name: v.effective.ref })}
    </Tag>
  );
  const step = (delta: number) =>
    setCursor((c) => {
      const m = c.month + delta;
      return { year: c.year + Math.floor(m / 12), month: ((m % 12) + 12) % 12 };
    });

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('cases.calendars.title')}
        extra={
          <Space wrap>
            <UnitPicker value={unitId} onChange={setUnitId} testId="calendar-unit" />
            {sourceTag}
          </Space>
        }
      >
        <Alert type="info" showIcon title={t('cases.calendars.openCases')} style={{ marginBottom: 16 }} />
        {view.error !== undefined && (
          <Alert type="error" showIcon title={describeError(view.error, t).title} />
        )}
        {v && (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={15}>
              <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }} wrap>
                <Space>
                  <Button
                    icon={<LeftOutlined />}
                    aria-label={t('cases.calendars.prev')}
                    onClick={() => step(-1)}
                  />
                  <Typography.Title level={4} style={{ margin: 0 }} data-testid="month-title">
                    {monthName(cursor.year, cursor.month, i18n.language, 'title')}
                  </Typography.Title>
                  <Button
                    icon={<RightOutlined />}
                    aria-label={t('cases.calendars.next')}
                    onClick={() => step(1)}
                  />
                </Space>
                <Space size={4} wrap>
                  {(['working', 'weekend', 'holiday', 'make_up'] as const).map((k) => (
                    <Tag key={k} style={{ ...KIND_STYLE[k], border: '1px solid #d9d9d9' }}>
                      {t(`cases.calendars.legend.${k}`)}
                    </Tag>
                  ))}
                </Space>
              </Space>
              <MonthGrid
                calendar={v.effective.calendar}
                year={cursor.year}
                month={cursor.month}
                pending={pending}
                today={today}
                onPick={
                  canEdit
                    ? (date) => {
                        const kind = kindOf(v.effective.calendar, date);
                        const named = [
                          ...v.effective.calendar.holidays,
                          ...v.effective.calendar.makeUpDays,
                        ].find((d) => d.date === date);
                        const own = v.effective.calendar.makeUpDays.find((m) => m.date === date)?.hours;
                        setDayError(undefined);
                        setEditDay({ date, kind, name: named?.name ?? '', hours: own && [...own] });
                      }
                    : undefined
                }
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {t('cases.calendars.zone', { zone: v.effective.calendar.timeZone })}
                {canEdit && ` ${t('cases.calendars.clickToEdit')}`}
              </Typography.Paragraph>
              <div style={{ marginBottom: 16 }}>
                <WorkingHoursCard
                  key={`${unitId}@${v.effective.ref}`}
                  calendar={v.effective.calendar}
                  canEdit={canEdit}
                  busy={busy}
                  onSave={saveHours}
                />
              </div>
              <Card size="small" title={t('cases.calendars.yearChart', { year: cursor.year })}>
                <YearChart calendar={v.effective.calendar} year={cursor.year} />
              </Card>
            </Col>
            <Col xs={24} xl={9}>
              <Space direction="vertical" size={16} style={{ width: '100%' }}>
                {canEdit && (
                  <Card size="small" title={t('cases.calendars.importTitle')}>
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Radio.Group
                        value={mode}
                        onChange={(e) => {
                          const m = e.target.value as 'merge' | 'replace_years';
                          setMode(m);
                          if (upload) void runPreview(upload, m);
                        }}
                        options={[
                          { value: 'merge', label: t('cases.calendars.mode.merge') },
                          { value: 'replace_years', label: t('cases.calendars.mode.replace_years') },
                        ]}
                      />
                      <Upload.Dragger
                        accept=".ics,text/calendar"
                        maxCount={1}
                        showUploadList={false}
                        data-testid="ics-upload"
                        beforeUpload={(file) => {
                          void file.text().then((text) => {
                            const f = { name: file.name, text };
                            setUpload(f);
                            return runPreview(f, mode);
                          });
                          return false;
                        }}
                      >
                        <p className="ant-upload-drag-icon">
                          <InboxOutlined />
                        </p>
                        <p className="ant-upload-text">{t('cases.calendars.drop')}</p>
                        <p className="ant-upload-hint">{t('cases.calendars.dropHint')}</p>
                      </Upload.Dragger>
                      {error !== undefined && (
                        <Alert
                          type="error"
                          showIcon
                          data-testid="calendar-error"
                          title={describeError(error, t).title}
                          description={describeError(error, t).detail}
                        />
                      )}
                      {preview && upload && (
                        <DiffPreview
                          result={preview}
                          fileName={upload.name}
                          applying={busy}
                          onApply={() => void apply()}
                          onCancel={() => {
                            setPreview(undefined);
                            setUpload(undefined);
                          }}
                        />
                      )}
                    </Space>
                  </Card>
                )}
                <DuePreview unitId={unitId} reloadKey={reloadKey} />
                {canEdit && (
                  <Card size="small" title={t('cases.calendars.assignTitle')}>
                    <Space direction="vertical" style={{ width: '100%' }}>
                      <Space.Compact style={{ width: '100%' }}>
                        <Select
                          aria-label={t('cases.calendars.copyFrom')}
                          placeholder={t('cases.calendars.copyFrom')}
                          value={copyFrom}
                          onChange={setCopyFrom}
                          options={v.builtIns.map((b) => ({
                            value: b,
                            label: t(`cases.calendars.builtIn.${b as 'cn-2026'}`, { defaultValue: b }),
                          }))}
                          style={{ flex: 1 }}
                        />
                        <Button
                          disabled={!copyFrom}
                          loading={busy}
                          onClick={() =>
                            copyFrom &&
                            void change(
                              { expectedVersion: v.version, change: { action: 'copy', from: copyFrom } },
                              t('cases.calendars.copied', { name: copyFrom }),
                            )
                          }
                        >
                          {t('cases.calendars.use')}
                        </Button>
                      </Space.Compact>
                      {v.own && (
                        <Popconfirm
                          title={t('cases.calendars.inheritConfirm')}
                          onConfirm={() =>
                            void change(
                              { expectedVersion: v.version, change: { action: 'inherit' } },
                              t('cases.calendars.inherits'),
                            )
                          }
                        >
                          <Button danger>{t('cases.calendars.inherit')}</Button>
                        </Popconfirm>
                      )}
                    </Space>
                  </Card>
                )}
              </Space>
            </Col>
          </Row>
        )}
      </Card>
      {v && (
        <Card size="small" title={t('cases.calendars.history')}>
          <Table
            size="small"
            rowKey="version"
            dataSource={v.history}
            data-testid="calendar-history"
            pagination={{ pageSize: 8, hideOnSinglePage: true }}
            locale={{ emptyText: t('cases.calendars.noHistory') }}
            columns={[
              {
                title: t('cases.settings.version'),
                dataIndex: 'version',
                width: 70,
                render: (x: number) => `v${x}`,
              },
              {
                title: t('cases.settings.savedAt'),
                dataIndex: 'createdAt',
                render: (x: string) => formatDateTime(x, i18n.language),
              },
              { title: t('cases.settings.savedBy'), dataIndex: 'createdByName' },
              { title: t('cases.calendars.sourceLabel'), dataIndex: 'source' },
              {
                title: t('cases.calendars.changedDays'),
                render: (_, h) =>
                  h.own ? (
                    <Space size={4}>
                      {h.changes.changedDays ?? 0}
                      {h.changes.weeklyHoursChanged === true && (
                        <Tag color="blue">{t('cases.calendars.hoursChanged')}</Tag>
                      )}
                      {Array.isArray(h.changes.makeUpHoursChanged) &&
                        h.changes.makeUpHoursChanged.length > 0 && (
                          <Tag color="orange">{t('cases.calendars.makeUpHoursChanged')}</Tag>
                        )}
                    </Space>
                  ) : (
                    <Tag>{t('cases.calendars.inheritsAgain')}</Tag>
                  ),
              },
              { title: t('cases.settings.note'), dataIndex: 'note' },
            ]}
          />
        </Card>
      )}
      <Modal
        open={editDay !== undefined}
        title={t('cases.calendars.editDay', { date: editDay?.date ?? '' })}
        onCancel={() => setEditDay(undefined)}
        onOk={() => void saveDay()}
        okButtonProps={
          { loading: busy, disabled: dayIssues.length > 0, 'data-testid': 'day-save' } as {
            loading: boolean;
            disabled: boolean;
          }
        }
        okText={t('cases.calendars.saveDay')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        {editDay && v && (
          <Space direction="vertical" style={{ width: '100%' }} data-testid="day-dialog">
            <Radio.Group
              value={editDay.kind === 'weekend' ? 'working' : editDay.kind}
              onChange={(e) => setEditDay({ ...editDay, kind: e.target.value as DayKind })}
              options={[
                { value: 'working', label: t('cases.calendars.normal') },
                { value: 'holiday', label: t('cases.calendars.legend.holiday') },
                { value: 'make_up', label: t('cases.calendars.legend.make_up') },
              ]}
            />
            {(editDay.kind === 'holiday' || editDay.kind === 'make_up') && (
              <Input
                aria-label={t('cases.calendars.name')}
                placeholder={t('cases.calendars.name')}
                value={editDay.name}
                maxLength={100}
                onChange={(e) => setEditDay({ ...editDay, name: e.target.value })}
              />
            )}
            {editDay.kind === 'make_up' && (
              <MakeUpHours
                calendar={v.effective.calendar}
                date={editDay.date}
                hours={editDay.hours}
                onChange={(hours) => setEditDay({ ...editDay, hours })}
                issues={dayIssues.map((i) => issueText(i, t))}
              />
            )}
            {dayError !== undefined && (
              <Alert
                type="error"
                showIcon
                data-testid="day-error"
                title={describeError(dayError, t).title}
                description={describeError(dayError, t).detail}
              />
            )}
            <Typography.Text type="secondary">{t('cases.calendars.editHint')}</Typography.Text>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
