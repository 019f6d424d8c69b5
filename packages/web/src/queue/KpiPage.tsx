import { Alert, Card, Col, Row, Space, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { useAsync } from '../shell/hooks.ts';
import {
  formatDuration,
  type LobbyOverview,
  serviceName,
  type TicketDetail,
  TicketStatusList,
} from './api.ts';
import { useQueueBranch } from './branch.tsx';
import { groupBy, type KpiRow, kpiOf } from './kpi.ts';

/** Day KPIs per branch, service and counter, computed from today's ticket records. */
export function KpiPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { branchId, picker } = useQueueBranch();
  const data = useAsync(
    async (signal) => {
      if (!branchId) return undefined;
      const [overview, tickets] = await Promise.all([
        api.get<LobbyOverview>(`/branches/${branchId}/queue`, undefined, signal),
        api.get<TicketDetail[]>(
          `/branches/${branchId}/tickets`,
          { status: TicketStatusList.join(',') },
          signal,
        ),
      ]);
      return { overview, tickets };
    },
    [branchId],
  );

  const kpis = useMemo(() => {
    if (!data.data) return undefined;
    const { overview, tickets } = data.data;
    const target = (code: string) =>
      overview.services.find((s) => s.code === code)?.targetWaitSeconds ?? Number.POSITIVE_INFINITY;
    const svc = (code: string) =>
      serviceName(
        overview.services.find((s) => s.code === code),
        locale,
        code,
      );
    const counterNo = new Map(overview.counters.map((c) => [c.id, c.number]));
    const total = kpiOf(t('queue.kpi.total'), tickets, target);
    const byService = overview.services.map((s) =>
      kpiOf(
        svc(s.code),
        tickets.filter((x) => x.serviceCode === s.code),
        target,
      ),
    );
    const byCounter = [
      ...groupBy(
        tickets.filter((x) => x.counterId !== null),
        (x) => x.counterId ?? '',
      ),
    ]
      .map(([id, list]) => ({ n: counterNo.get(id) ?? 0, list }))
      .sort((a, b) => a.n - b.n)
      .map(({ n, list }) => kpiOf(t('queue.counterN', { n }), list, target));
    return { total, byService, byCounter };
  }, [data.data, locale, t]);

  const pct = (v: number | null) => (v === null ? t('common.none') : `${Math.round(v * 100)}%`);
  const dur = (v: number | null) => formatDuration(v, t);
  const columns: ColumnsType<KpiRow> = [
    { title: '', dataIndex: 'key', width: 160 },
    { title: t('queue.kpi.arrivals'), dataIndex: 'arrivals' },
    { title: t('queue.kpi.walkUps'), dataIndex: 'walkUps' },
    { title: t('queue.kpi.served'), dataIndex: 'served' },
    { title: t('queue.kpi.abandoned'), dataIndex: 'abandoned' },
    { title: t('queue.kpi.noShows'), dataIndex: 'noShows' },
    { title: t('queue.kpi.meanWait'), dataIndex: 'meanWait', render: dur },
    { title: t('queue.kpi.p90Wait'), dataIndex: 'p90Wait', render: dur },
    { title: t('queue.kpi.maxWait'), dataIndex: 'maxWait', render: dur },
    { title: t('queue.kpi.withinTarget'), dataIndex: 'withinTarget', render: pct },
    { title: t('queue.kpi.meanService'), dataIndex: 'meanService', render: dur },
  ];

  const option = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('queue.kpi.arrivals'), t('queue.kpi.served')] },
      grid: { left: 40, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: kpis?.byService.map((r) => r.key) ?? [] },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('queue.kpi.arrivals'),
          type: 'bar',
          data: kpis?.byService.map((r) => r.arrivals) ?? [],
          itemStyle: { color: '#8f1d22' },
        },
        {
          name: t('queue.kpi.served'),
          type: 'bar',
          data: kpis?.byService.map((r) => r.served) ?? [],
          itemStyle: { color: '#52c41a' },
        },
      ],
    }),
    [kpis, t],
  );

  if (!branchId) return <Card title={t('queue.kpi.title')}>{t('queue.noBranch')}</Card>;
  const total = kpis?.total;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={`${t('queue.kpi.title')}${data.data ? ` · ${data.data.overview.branchName} · ${data.data.overview.businessDay}` : ''}`}
        extra={picker}
        loading={data.loading && !data.data}
      >
        <Alert type="info" showIcon title={t('queue.kpi.source')} style={{ marginBottom: 16 }} />
        <Row gutter={16} data-testid="kpi-summary">
          <Col span={4}>
            <Statistic
              title={t('queue.kpi.arrivals')}
              value={total?.arrivals ?? 0}
              data-testid="kpi-arrivals"
            />
          </Col>
          <Col span={4}>
            <Statistic title={t('queue.kpi.served')} value={total?.served ?? 0} data-testid="kpi-served" />
          </Col>
          <Col span={4}>
            <Statistic title={t('queue.kpi.abandoned')} value={total?.abandoned ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title={t('queue.kpi.noShows')} value={total?.noShows ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title={t('queue.kpi.meanWait')} value={dur(total?.meanWait ?? null)} />
          </Col>
          <Col span={4}>
            <Statistic title={t('queue.kpi.withinTarget')} value={pct(total?.withinTarget ?? null)} />
          </Col>
        </Row>
      </Card>
      <Card title={t('queue.kpi.chart')}>
        <EChart option={option} height={260} label={t('queue.kpi.chart')} />
      </Card>
      <Card title={t('queue.kpi.byService')}>
        <Table<KpiRow>
          rowKey="key"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={kpis ? [...kpis.byService, kpis.total] : []}
          data-testid="kpi-by-service"
          scroll={{ x: 1000 }}
        />
      </Card>
      <Card title={t('queue.kpi.byCounter')}>
        <Table<KpiRow>
          rowKey="key"
          size="small"
          pagination={false}
          columns={columns}
          dataSource={kpis?.byCounter ?? []}
          data-testid="kpi-by-counter"
          scroll={{ x: 1000 }}
        />
      </Card>
    </Space>
  );
}
