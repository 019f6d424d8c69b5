import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Row, Select, Space, Statistic, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOrgScope } from '../org/scope.tsx';
import { api, buildUrl, describeError } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { useAsync } from '../shell/hooks.ts';
import {
  type CaseReport,
  type CaseType,
  CaseTypeList,
  type CountRow,
  formatMoney,
  labelOf,
  VERDICT_COLOUR,
} from './model.ts';

type Prefix = 'jrtChannel' | 'jrtBusiness' | 'jrtCause' | 'rootCause' | undefined;

function barOption(
  rows: readonly CountRow[],
  label: (r: CountRow) => string,
  horizontal: boolean,
): EChartOption {
  const names = rows.map(label);
  const values = rows.map((r) => r.count);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: horizontal ? 170 : 40, right: 24, top: 16, bottom: 32 },
    xAxis: horizontal ? { type: 'value', minInterval: 1 } : { type: 'category', data: names },
    yAxis: horizontal ? { type: 'category', data: names, inverse: true } : { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: values, itemStyle: { color: '#b1272d' }, barMaxWidth: 28 }],
  };
}

export function ReportsPage() {
  const { t, i18n } = useTranslation();
  const scope = useOrgScope();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [type, setType] = useState<CaseType | undefined>('complaint');
  const query = useMemo(
    () => ({
      orgUnitId: scope.selectedId,
      // Calendar dates, read by the server in each case's own branch zone (not this browser's midnight).
      fromDate: range?.[0]?.format('YYYY-MM-DD'),
      toDate: range?.[1]?.format('YYYY-MM-DD'),
      type,
    }),
    [scope.selectedId, range, type],
  );
  const report = useAsync(
    (signal) => api.get<CaseReport>('/cases/reports/summary', query, signal),
    [JSON.stringify(query)],
  );
  const r = report.data;
  const label = (prefix: Prefix) => (row: CountRow) =>
    prefix ? labelOf(prefix, row.key) : (row.name ?? row.key);

  const charts: {
    key: string;
    title: string;
    rows: readonly CountRow[];
    prefix: Prefix;
    horizontal: boolean;
  }[] = r
    ? [
        {
          key: 'channel',
          title: t('cases.reports.byJrtChannel'),
          rows: r.byJrtChannel,
          prefix: 'jrtChannel',
          horizontal: true,
        },
        {
          key: 'business',
          title: t('cases.reports.byJrtBusiness'),
          rows: r.byJrtBusinessType,
          prefix: 'jrtBusiness',
          horizontal: true,
        },
        {
          key: 'cause',
          title: t('cases.reports.byJrtCause'),
          rows: r.byJrtCause,
          prefix: 'jrtCause',
          horizontal: true,
        },
        {
          key: 'branch',
          title: t('cases.reports.byBranch'),
          rows: r.byBranch,
          prefix: undefined,
          horizontal: true,
        },
        {
          key: 'month',
          title: t('cases.reports.byMonth'),
          rows: r.byMonth,
          prefix: undefined,
          horizontal: false,
        },
        {
          key: 'root',
          title: t('cases.reports.byRootCause'),
          rows: r.byRootCause,
          prefix: 'rootCause',
          horizontal: true,
        },
      ]
    : [];

  const compliance = r?.sla.compliance;
  const exportHref = buildUrl('/cases/reports/export.csv', query);
  const xlsxHref = buildUrl('/cases/reports/export.xlsx', {
    ...query,
    locale: i18n.language === 'en' ? 'en' : 'zh-CN',
  });
  const valued = r?.recovery.valued;
  const yuan = (minor: number) => formatMoney(minor, r?.recovery.currency ?? 'CNY', i18n.language);
  const tierOption: EChartOption | undefined = valued
    ? {
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: unknown) => (typeof v === 'number' ? yuan(Math.round(v * 100)) : String(v)),
        },
        legend: { top: 0 },
        grid: { left: 90, right: 24, top: 32, bottom: 32 },
        xAxis: { type: 'log', logBase: 10, name: '¥', nameLocation: 'end' },
        yAxis: { type: 'category', data: valued.byTier.map((x) => t(`tier.${x.tier}`)), inverse: true },
        series: [
          {
            name: t('cases.ops.reports.compensation'),
            type: 'bar',
            data: valued.byTier.map((x) => Math.max(1, x.compensationMinor / 100)),
            itemStyle: { color: '#b1272d' },
            barMaxWidth: 18,
          },
          {
            name: t('cases.ops.reports.value'),
            type: 'bar',
            data: valued.byTier.map((x) => Math.max(1, x.retainedValueMinor / 100)),
            itemStyle: { color: '#389e0d' },
            barMaxWidth: 18,
          },
        ],
      }
    : undefined;
  const verdictColour: Record<string, string> = { green: '#52c41a', gold: '#faad14', red: '#cf1322' };
  const verdictOption: EChartOption | undefined = valued
    ? {
        tooltip: { trigger: 'item' },
        legend: { bottom: 0 },
        series: [
          {
            type: 'pie',
            radius: ['38%', '62%'],
            center: ['50%', '42%'],
            label: { formatter: '{c}' },
            data: valued.byVerdict
              .filter((v) => v.count > 0)
              .map((v) => ({
                name: t(`cases.ops.economics.verdict.${v.verdict}`),
                value: v.count,
                itemStyle: { color: verdictColour[VERDICT_COLOUR[v.verdict]] },
              })),
          },
        ],
      }
    : undefined;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('cases.reports.title')}
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              value={range}
              onChange={(v) => setRange(v ? [v[0], v[1]] : null)}
              placeholder={[t('cases.reports.from'), t('cases.reports.to')]}
            />
            <Select<CaseType>
              allowClear
              value={type}
              onChange={setType}
              placeholder={t('cases.inbox.type')}
              options={CaseTypeList.map((x) => ({ value: x, label: t(`cases.type.${x}`) }))}
              style={{ width: 140 }}
            />
            <a href={exportHref} download="cases.csv" data-testid="report-export">
              <Button icon={<DownloadOutlined />}>{t('cases.reports.exportCsv')}</Button>
            </a>
            <a href={xlsxHref} download="cases.xlsx" data-testid="report-export-xlsx">
              <Button icon={<DownloadOutlined />}>{t('cases.ops.exportXlsx')}</Button>
            </a>
          </Space>
        }
      >
        {report.error !== undefined && (
          <Alert type="error" showIcon title={describeError(report.error, t).title} />
        )}
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Statistic
              title={t('cases.reports.total')}
              value={r?.total ?? 0}
              loading={report.loading}
              data-testid="report-total"
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={`${t('cases.reports.compliance')} (${t('cases.reports.met')} ${r?.sla.met ?? 0} / ${t('cases.reports.breached')} ${r?.sla.breached ?? 0})`}
              value={
                compliance === null || compliance === undefined ? '—' : `${(compliance * 100).toFixed(1)}%`
              }
              loading={report.loading}
              data-testid="report-compliance"
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('cases.reports.recovery')}
              value={r ? formatMoney(r.recovery.compensationMinor, r.recovery.currency, i18n.language) : '—'}
              loading={report.loading}
              data-testid="report-recovery"
            />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('cases.reports.casesWithCompensation')}
              value={r?.recovery.casesWithCompensation ?? 0}
              loading={report.loading}
            />
          </Col>
        </Row>
      </Card>
      {valued && (
        <Card title={t('cases.ops.reports.costVsValue')} data-testid="report-recovery-value">
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Statistic
                title={t('cases.ops.reports.valuedCases')}
                value={valued.cases}
                suffix={
                  <span style={{ fontSize: 13 }}>
                    ({t('cases.ops.reports.valuedCustomers', { count: valued.customers })})
                  </span>
                }
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('cases.ops.reports.compensation')} value={yuan(valued.compensationMinor)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('cases.ops.reports.retainedValue')}
                value={yuan(valued.retainedValueMinor)}
                data-testid="report-retained-value"
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('cases.ops.reports.replacementCost')}
                value={yuan(valued.replacementCostMinor)}
              />
            </Col>
          </Row>
          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} lg={14}>
              {tierOption && (
                <EChart
                  label={t('cases.ops.reports.costVsValue')}
                  height={Math.max(200, valued.byTier.length * 56 + 70)}
                  option={tierOption}
                />
              )}
            </Col>
            <Col xs={24} lg={10}>
              <Typography.Text type="secondary">{t('cases.ops.reports.verdicts')}</Typography.Text>
              {verdictOption && (
                <EChart label={t('cases.ops.reports.verdicts')} height={240} option={verdictOption} />
              )}
            </Col>
          </Row>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('cases.ops.economics.advisory')}
          </Typography.Text>
        </Card>
      )}
      <Row gutter={[16, 16]}>
        {charts.map((c) => (
          <Col key={c.key} xs={24} lg={12}>
            <Card title={c.title} size="small" data-testid={`report-chart-${c.key}`}>
              <EChart
                label={c.title}
                height={Math.max(220, c.horizontal ? c.rows.length * 30 + 60 : 260)}
                option={barOption(c.rows, label(c.prefix), c.horizontal)}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
