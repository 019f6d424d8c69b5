import type { TStaffingPlanResponse } from '@serviceloop/domain';
import { Alert, Card, Col, Empty, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, describeError } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { useAsync } from '../shell/hooks.ts';
import { formatDuration } from './api.ts';
import { useQueueBranch } from './branch.tsx';

type Plan = TStaffingPlanResponse;
type ServiceRow = Plan['services'][number];
type IntervalRow = Plan['intervals'][number];

type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
const WEEKDAY_ORDER: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 0];
const TARGETS = [70, 80, 85, 90, 95];
const SERVICE_COLOURS = [
  '#8f1d22',
  '#d4a017',
  '#1677ff',
  '#52c41a',
  '#722ed1',
  '#13c2c2',
  '#eb2f96',
  '#8c8c8c',
];

/**
 * Staffing plan of a branch: arrivals per service and interval forecast from its history (bars,
 * stacked by service) and the counters to open (step line), per weekday and service standard;
 * a per-service breakdown and the plan interval by interval.
 */
export function StaffingPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { branchId, picker } = useQueueBranch();
  const [weekday, setWeekday] = useState<number | undefined>(undefined);
  const [target, setTarget] = useState(80);
  const [interval, setIntervalMinutes] = useState(30);
  const data = useAsync(
    (signal) =>
      branchId
        ? api.get<Plan>(
            `/branches/${branchId}/staffing-plan`,
            {
              ...(weekday === undefined ? {} : { weekday: String(weekday) }),
              target: String(target),
              interval: String(interval),
            },
            signal,
          )
        : Promise.resolve(undefined),
    [branchId, weekday, target, interval],
  );
  const plan = data.data;
  const day = plan?.weekday ?? weekday;

  const nameOf = useMemo(() => {
    const names = new Map((plan?.services ?? []).map((s) => [s.code, en ? s.nameEn : s.nameZh]));
    return (code: string) => names.get(code) ?? code;
  }, [plan, en]);

  const option = useMemo<EChartOption>(() => {
    const intervals = plan?.intervals ?? [];
    const codes = (plan?.services ?? []).filter((s) => s.arrivals > 0).map((s) => s.code);
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [...codes.map(nameOf), t('queue.staffing.counters')], top: 0 },
      grid: { left: 48, right: 48, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: intervals.map((i) => i.slot) },
      yAxis: [
        { type: 'value', name: t('queue.staffing.arrivalsAxis'), minInterval: 1 },
        { type: 'value', name: t('queue.staffing.countersAxis'), minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        ...codes.map((code, k) => ({
          name: nameOf(code),
          type: 'bar',
          stack: 'arrivals',
          itemStyle: { color: SERVICE_COLOURS[k % SERVICE_COLOURS.length] },
          data: intervals.map((i) => i.arrivalsByService[code] ?? 0),
        })),
        {
          name: t('queue.staffing.counters'),
          type: 'line',
          step: 'start',
          yAxisIndex: 1,
          symbol: 'circle',
          symbolSize: 5,
          lineStyle: { width: 3, color: '#262626' },
          itemStyle: { color: '#262626' },
          data: intervals.map((i) => i.counters),
        },
      ],
    };
  }, [plan, nameOf, t]);

  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const serviceColumns: ColumnsType<ServiceRow> = [
    { title: t('queue.service'), dataIndex: 'code', render: (code: string) => nameOf(code) },
    {
      title: t('queue.staffing.targetWait'),
      dataIndex: 'targetWaitSeconds',
      render: (s: number) => (s % 60 === 0 ? t('queue.minutes', { n: s / 60 }) : formatDuration(s, t)),
    },
    { title: t('queue.staffing.arrivalsPerDay'), dataIndex: 'arrivals', align: 'right' },
    {
      title: t('queue.staffing.share'),
      key: 'share',
      align: 'right',
      render: (_: unknown, s) => {
        const total = (plan?.services ?? []).reduce((sum, x) => sum + x.arrivals, 0);
        return total > 0 ? pct(s.arrivals / total) : t('common.none');
      },
    },
    {
      title: t('queue.staffing.meanService'),
      dataIndex: 'meanServiceSeconds',
      render: (s: number | null) => formatDuration(s, t),
    },
    { title: t('queue.staffing.peakCounters'), dataIndex: 'peakCounters', align: 'right' },
  ];
  const intervalColumns: ColumnsType<IntervalRow> = [
    { title: t('queue.staffing.slot'), dataIndex: 'slot', width: 80 },
    { title: t('queue.staffing.arrivals'), dataIndex: 'arrivals', align: 'right', width: 90 },
    { title: t('queue.staffing.counters'), dataIndex: 'counters', align: 'right', width: 90 },
    {
      title: t('queue.staffing.skillMix'),
      dataIndex: 'skillMix',
      render: (mix: IntervalRow['skillMix']) => (
        <Space size={[4, 4]} wrap>
          {mix.map((m) => (
            <Tag key={m.service}>
              {t('queue.staffing.leading', { n: m.counters, service: nameOf(m.service) })}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('queue.staffing.occupancy'), dataIndex: 'occupancy', align: 'right', render: pct, width: 100 },
    {
      title: t('queue.staffing.worstLevel'),
      key: 'level',
      align: 'right',
      width: 130,
      render: (_: unknown, i) => pct(Math.min(1, ...i.achieved.map((a) => a.level))),
    },
  ];

  const weekdayOptions = WEEKDAY_ORDER.map((w) => ({
    value: w,
    label: `${t(`queue.staffing.weekdays.d${w}`)}${plan ? ` · ${t('queue.staffing.dates', { count: plan.history.datesPerWeekday[w] ?? 0 })}` : ''}`,
  }));
  const controls = (
    <Space wrap>
      <Select
        aria-label={t('queue.staffing.weekday')}
        data-testid="staffing-weekday"
        value={day}
        onChange={setWeekday}
        options={weekdayOptions}
        style={{ width: 210 }}
      />
      <Select
        aria-label={t('queue.staffing.target')}
        data-testid="staffing-target"
        value={target}
        onChange={setTarget}
        options={TARGETS.map((v) => ({ value: v, label: t('queue.staffing.targetOption', { n: v }) }))}
        style={{ width: 250 }}
      />
      <Select
        aria-label={t('queue.staffing.interval')}
        value={interval}
        onChange={setIntervalMinutes}
        options={[15, 30, 60].map((v) => ({ value: v, label: t('queue.minutes', { n: v }) }))}
        style={{ width: 110 }}
      />
      {picker}
    </Space>
  );

  if (!branchId) return <Card title={t('queue.staffing.title')}>{t('queue.noBranch')}</Card>;
  const datesForDay = day === undefined ? 0 : (plan?.history.datesPerWeekday[day] ?? 0);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('queue.staffing.title')} extra={controls} loading={data.loading && !plan}>
        {data.error ? (
          <Alert
            type="error"
            showIcon
            title={describeError(data.error, t).title}
            description={describeError(data.error, t).detail}
          />
        ) : null}
        {plan && plan.history.visits === 0 ? (
          <Empty description={t('queue.staffing.noHistory')}>
            <Link to="/queue/visits">{t('queue.nav.visits')}</Link>
          </Empty>
        ) : null}
        {plan && plan.history.visits > 0 ? (
          <>
            <Alert
              type={datesForDay < 2 ? 'warning' : 'info'}
              showIcon
              style={{ marginBottom: 16 }}
              title={t('queue.staffing.basis', {
                visits: plan.history.visits,
                from: plan.history.from ?? '',
                to: plan.history.to ?? '',
                dates: datesForDay,
                weekday: t(`queue.staffing.weekdays.d${plan.weekday as Weekday}`),
              })}
              description={
                <>
                  <div>
                    {t('queue.staffing.standards')}{' '}
                    {plan.standards.map((s) => (
                      <Tag key={s.name}>
                        {s.service
                          ? t('queue.staffing.serviceStandard', {
                              service: nameOf(s.service),
                              pct: Math.round(s.level * 100),
                              min: Math.round(s.targetSeconds / 60),
                            })
                          : t('queue.staffing.vipStandard', {
                              pct: Math.round(s.level * 100),
                              min: Math.round(s.targetSeconds / 60),
                            })}
                      </Tag>
                    ))}
                  </div>
                  {datesForDay < 2 ? <div>{t('queue.staffing.weak')}</div> : null}
                  <Typography.Text type="secondary">{t('queue.staffing.method')}</Typography.Text>
                </>
              }
            />
            <Row gutter={16} data-testid="staffing-summary">
              <Col xs={12} md={6}>
                <Statistic
                  title={t('queue.staffing.peakCounters')}
                  value={plan.peakCounters}
                  data-testid="staffing-peak"
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic title={t('queue.staffing.counterHours')} value={plan.counterHours} precision={1} />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('queue.staffing.arrivalsPerDay')}
                  value={plan.intervals.reduce((s, i) => s + i.arrivals, 0)}
                  precision={0}
                />
              </Col>
              <Col xs={12} md={6}>
                <Statistic
                  title={t('queue.staffing.hours')}
                  value={
                    plan.intervals.length > 0
                      ? `${plan.intervals[0]?.slot}–${endOf(plan.intervals.at(-1), plan.intervalMinutes)}`
                      : t('common.none')
                  }
                />
              </Col>
            </Row>
          </>
        ) : null}
      </Card>
      {plan && plan.intervals.length > 0 ? (
        <>
          <Card title={t('queue.staffing.chart')} data-testid="staffing-chart">
            <EChart option={option} height={340} label={t('queue.staffing.chart')} />
          </Card>
          <Card title={t('queue.staffing.byService')}>
            <Table<ServiceRow>
              rowKey="code"
              size="small"
              pagination={false}
              columns={serviceColumns}
              dataSource={plan.services}
              data-testid="staffing-services"
            />
          </Card>
          <Card title={t('queue.staffing.byInterval')}>
            <Table<IntervalRow>
              rowKey="slot"
              size="small"
              pagination={false}
              columns={intervalColumns}
              dataSource={plan.intervals}
              scroll={{ y: 420 }}
              data-testid="staffing-intervals"
            />
          </Card>
        </>
      ) : null}
    </Space>
  );
}

function endOf(last: IntervalRow | undefined, minutes: number): string {
  if (!last) return '';
  const end = last.slotStartMin + minutes;
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}
