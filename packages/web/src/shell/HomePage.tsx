import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { useOrgScope } from '../org/scope.tsx';
import { api } from './api.ts';
import { EChart, type EChartOption } from './EChart.tsx';
import { useAsync } from './hooks.ts';
import { type Customer, type Page, RoleList, type Staff, TierList } from './types.ts';

const tierColours = ['#b1272d', '#d4a017', '#3b7dd8', '#8c8c8c'];

export function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const scope = useOrgScope();
  const orgUnitId = scope.selectedId;
  const mayCustomers = user.can('customer.read');
  const mayStaff = user.can('staff.read');

  const tiers = useAsync(
    async (signal) => {
      if (!mayCustomers) return undefined;
      const counts = await Promise.all(
        TierList.map((tier) =>
          api
            .get<Page<Customer>>('/customers', { orgUnitId, tier, pageSize: 1 }, signal)
            .then((p) => p.total),
        ),
      );
      return TierList.map((tier, i) => ({ tier, count: counts[i] ?? 0 }));
    },
    [orgUnitId, mayCustomers],
  );
  const staff = useAsync(
    (signal) => (mayStaff ? api.get<Staff[]>('/staff', { orgUnitId }, signal) : Promise.resolve(undefined)),
    [orgUnitId, mayStaff],
  );

  const selectedPath = orgUnitId ? scope.units.find((u) => u.id === orgUnitId)?.path : undefined;
  const unitsInView = scope.units.filter((u) => !selectedPath || u.path.startsWith(selectedPath));
  const customerTotal = tiers.data?.reduce((sum, x) => sum + x.count, 0);

  const tierOption = useMemo<EChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0 },
      color: tierColours,
      series: [
        {
          type: 'pie',
          radius: ['40%', '68%'],
          center: ['50%', '45%'],
          label: { formatter: '{b}\n{c}' },
          data: (tiers.data ?? []).map((x) => ({ name: t(`tier.${x.tier}`), value: x.count })),
        },
      ],
    }),
    [tiers.data, t],
  );
  const roleOption = useMemo<EChartOption>(() => {
    const counts = RoleList.map((role) => (staff.data ?? []).filter((s) => s.roles.includes(role)).length);
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 120, right: 24, top: 12, bottom: 24 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: RoleList.map((r) => t(`role.${r}`)) },
      series: [{ type: 'bar', data: counts, itemStyle: { color: '#b1272d' }, barMaxWidth: 18 }],
    };
  }, [staff.data, t]);

  const scopeName = orgUnitId ? scope.unitName(orgUnitId) : scope.unitName(user.orgUnitId);
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('home.welcome', { name: user.displayName })}
      </Typography.Title>
      <Typography.Paragraph type="secondary" data-testid="home-scope">
        {t('home.scope', { unit: scopeName })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('home.customers')}
              value={mayCustomers ? (customerTotal ?? '…') : t('home.noPermission')}
              data-testid="stat-customers"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('home.staff')}
              value={mayStaff ? (staff.data?.length ?? '…') : t('home.noPermission')}
              data-testid="stat-staff"
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic
              title={t('home.branches')}
              value={unitsInView.filter((u) => u.kind === 'branch').length}
            />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card>
            <Statistic title={t('home.units')} value={unitsInView.length} />
          </Card>
        </Col>
        {mayCustomers && (
          <Col xs={24} lg={12}>
            <Card title={t('home.byTier')}>
              {tiers.data ? <EChart option={tierOption} label={t('home.byTier')} /> : <Skeleton active />}
            </Card>
          </Col>
        )}
        {mayStaff && (
          <Col xs={24} lg={12}>
            <Card title={t('home.byRole')}>
              {staff.data ? <EChart option={roleOption} label={t('home.byRole')} /> : <Skeleton active />}
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
