import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Empty, Row, Space, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, buildUrl, describeError } from '../shell/api.ts';
import { EChart } from '../shell/EChart.tsx';
import { useAsync } from '../shell/hooks.ts';
import { type DayKpis, formatClock, formatDuration, type KpiTrend } from './api.ts';
import { useQueueBranch } from './branch.tsx';
import { daysBefore, hourlyOption, type KpiRow, serviceOption, trendOption, waitOption } from './kpi.ts';

/** Day KPIs per branch, service and counter, computed by the server, for today or any past day. */
export function KpiPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { branchId, picker } = useQueueBranch();
  /** Undefined: the branch's current business day (the server decides it in the branch's zone). */
  const [day, setDay] = useState<string | undefined>(undefined);
  const kpis = useAsync(
    (signal) =>
      branchId ? api.get<DayKpis>(`/branches/${branchId}/kpis`, { day }, signal) : Promise.resolve(undefined),
    [branchId, day],
  );
  const k = kpis.data;
  const shownDay = k?.businessDay;
  const trend = useAsync(
    (signal) =>
      branchId && shownDay
        ? api.get<KpiTrend>(
            `/branches/${branchId}/kpis/trend`,
            { from: daysBefore(shownDay, 13), to: shownDay },
            signal,
          )
        : Promise.resolve(undefined),
    [branchId, shownDay],
  );
  // The newest day the server has answered for "today": later days cannot be picked.
  const [today, setToday] = useState<string | undefined>(undefined);
  if (day === undefined && shownDay && shownDay !== today) setToday(shownDay);

  const serviceLabel = (code: string) => {
    const s = k?.services.find((x) => x.code === code);
    return s ? (locale === 'en' ? s.nameEn : s.nameZh) : code;
  };

  const rows = useMemo(() => {
    if (!k) return { services: [] as KpiRow[], counters: [] as KpiRow[] };
    const services: KpiRow[] = [
      ...k.services.map((s) => ({
        ...s,
        key: s.code,
        label: locale === 'en' ? s.nameEn : s.nameZh,
      })),
      { ...k.branch, key: '__total', label: t('queue.kpi.total') },
    ];
    const counters: KpiRow[] = k.counters.map((c) => ({
      ...c,
      key: c.counterId,
      label: t('queue.counterN', { n: c.number }),
    }));
    return { services, counters };
  }, [k, locale, t]);

  const pct = (v: number | null) => (v === null ? t('common.none') : `${v}%`);
  const dur = (v: number | null) => formatDuration(v, t);
  const figureColumns: ColumnsType<KpiRow> = [
    { title: t('queue.kpi.arrivals'), dataIndex: 'arrivals', align: 'right' },
    { title: t('queue.kpi.walkUps'), dataIndex: 'walkUps', align: 'right' },
    { title: t('queue.kpi.served'), dataIndex: 'served', align: 'right' },
    { title: t('queue.kpi.abandoned'), dataIndex: 'abandoned', align: 'right' },
    { title: t('queue.kpi.noShows'), dataIndex: 'noShows', align: 'right' },
    { title: t('queue.kpi.open'), dataIndex: 'open', align: 'right' },
    { title: t('queue.kpi.meanWait'), dataIndex: 'meanWaitSeconds', render: dur },
    { title: t('queue.kpi.p90Wait'), dataIndex: 'p90WaitSeconds', render: dur },
    { title: t('queue.kpi.maxWait'), dataIndex: 'maxWaitSeconds', render: dur },
    { title: t('queue.kpi.withinTarget'), dataIndex: 'withinTargetPct', render: pct },
    { title: t('queue.kpi.meanService'), dataIndex: 'meanServiceSeconds', render: dur },
  ];
  // The service standard sits next to the share that met it.
  const at = figureColumns.findIndex((c) => 'dataIndex' in c && c.dataIndex === 'withinTargetPct');
  const serviceColumns: ColumnsType<KpiRow> = [
    { title: t('queue.service'), dataIndex: 'label', width: 170, fixed: 'left' },
    ...figureColumns.slice(0, at),
    {
      title: t('queue.kpi.target'),
      dataIndex: 'targetWaitSeconds',
      render: (v: number | undefined) => (v ? t('queue.minutes', { n: Math.round((v / 60) * 10) / 10 }) : ''),
    },
    ...figureColumns.slice(at),
  ];
  const counterColumns: ColumnsType<KpiRow> = [
    { title: t('queue.counter'), dataIndex: 'label', width: 170, fixed: 'left' },
    ...figureColumns,
  ];

  if (!branchId) return <Card title={t('queue.kpi.title')}>{t('queue.noBranch')}</Card>;
  const total = k?.branch;
  const empty = k !== undefined && k.branch.arrivals + k.branch.walkUps === 0;
  const exportHref = buildUrl(`/branches/${branchId}/kpis.csv`, { day: shownDay });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={`${t('queue.kpi.title')}${k ? ` · ${locale === 'en' ? (k.branchNameEn ?? k.branchName) : k.branchName} · ${k.businessDay}` : ''}`}
        extra={
          <Space wrap>
            <DatePicker
              aria-label={t('queue.kpi.day')}
              allowClear={false}
              value={shownDay ? dayjs(shownDay) : null}
              disabledDate={(d: Dayjs) => (today ? d.format('YYYY-MM-DD') > today : false)}
              onChange={(d: Dayjs | null) => {
                if (!d) return;
                const picked = d.format('YYYY-MM-DD');
                setDay(picked === today ? undefined : picked);
              }}
              data-testid="kpi-day"
            />
            <Button onClick={() => setDay(undefined)} disabled={day === undefined} data-testid="kpi-today">
              {t('queue.kpi.today')}
            </Button>
            <a href={exportHref} download data-testid="kpi-export">
              <Button icon={<DownloadOutlined />} disabled={!k}>
                {t('queue.kpi.exportCsv')}
              </Button>
            </a>
            {picker}
          </Space>
        }
        loading={kpis.loading && !k}
      >
        {kpis.error !== undefined && (
          <Alert
            type="error"
            showIcon
            title={describeError(kpis.error, t).title}
            style={{ marginBottom: 16 }}
          />
        )}
        <Row gutter={[16, 16]} data-testid="kpi-summary">
          <Col xs={12} md={6} xl={3}>
            <Statistic
              title={t('queue.kpi.arrivals')}
              value={total?.arrivals ?? 0}
              data-testid="kpi-arrivals"
            />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.served')} value={total?.served ?? 0} data-testid="kpi-served" />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.abandoned')} value={total?.abandoned ?? 0} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.noShows')} value={total?.noShows ?? 0} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.meanWait')} value={dur(total?.meanWaitSeconds ?? null)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.p90Wait')} value={dur(total?.p90WaitSeconds ?? null)} />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic
              title={t('queue.kpi.withinTarget')}
              value={pct(total?.withinTargetPct ?? null)}
              data-testid="kpi-within-target"
            />
          </Col>
          <Col xs={12} md={6} xl={3}>
            <Statistic title={t('queue.kpi.meanService')} value={dur(total?.meanServiceSeconds ?? null)} />
          </Col>
        </Row>
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12 }}>
          {t('queue.kpi.source')}
          {k ? ` · ${t('queue.kpi.asOf', { time: formatClock(k.at, locale) })}` : ''}
        </Typography.Text>
      </Card>
      {empty && (
        <Card>
          <Empty description={t('queue.kpi.noData')} data-testid="kpi-empty" />
        </Card>
      )}
      {k && !empty && (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('queue.kpi.chart')} size="small">
              <EChart option={serviceOption(k, serviceLabel, t)} height={260} label={t('queue.kpi.chart')} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('queue.kpi.hourly')} size="small">
              <EChart option={hourlyOption(k, t)} height={260} label={t('queue.kpi.hourly')} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('queue.kpi.waitDist')} size="small">
              <EChart option={waitOption(k, t)} height={240} label={t('queue.kpi.waitDist')} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('queue.kpi.trend')} size="small" loading={trend.loading && !trend.data}>
              {trend.data && (
                <EChart option={trendOption(trend.data, t)} height={240} label={t('queue.kpi.trend')} />
              )}
            </Card>
          </Col>
        </Row>
      )}
      <Card title={t('queue.kpi.byService')}>
        <Table<KpiRow>
          rowKey="key"
          size="small"
          pagination={false}
          columns={serviceColumns}
          dataSource={rows.services}
          data-testid="kpi-by-service"
          scroll={{ x: 1200 }}
        />
      </Card>
      <Card title={t('queue.kpi.byCounter')}>
        <Table<KpiRow>
          rowKey="key"
          size="small"
          pagination={false}
          columns={counterColumns}
          dataSource={rows.counters}
          data-testid="kpi-by-counter"
          scroll={{ x: 1200 }}
        />
      </Card>
    </Space>
  );
}
