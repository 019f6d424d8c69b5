import {
  DeleteOutlined,
  LockOutlined,
  PlusOutlined,
  SafetyCertificateOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Steps,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, describeError, type FieldIssue } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { formatDateTime } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import {
  AuthorityLevelList,
  AuthorityRoleList,
  type CaseConfigSection,
  type ConfigVersion,
  CountingModeList,
  clockOf,
  configApi,
  DayEndList,
  isPresetRef,
  LevelList,
  PolicyClockRoleList,
  RollOverList,
  SectionList,
  type TAuthorityTable,
  type TCaseConfig,
  type TCaseConfigOverride,
  type TClockDefinition,
  type TClockRef,
  type TEscalationPolicy,
  type TSlaPolicy,
  type TSlaPreset,
  type UnitConfigView,
  yuan,
} from './config-model.ts';
import { DuePreview, UnitPicker, unitName, useUnitView } from './config-ui.tsx';
import { EscalationRecipientsEditor } from './EscalationRecipients.tsx';

type Tier = TAuthorityTable['tiers'][number];
const BUILT_IN_PRESETS = ['cn-nfra-2020', 'uk-fca-disp', 'us-cfpb'];

const RULES = new Set([
  'escalation_order',
  'escalation_timing',
  'escalation_max',
  'shares_distinct',
  'authority_duplicate',
  'authority_level_order',
  'authority_ladder_order',
  'authority_above_parent',
  'authority_currency',
  'preset_duplicate',
  'preset_removed',
  'preset_clock_missing',
  'preset_mode',
  'preset_looser',
  'preset_extension',
  'rule_duplicate',
  'rule_uncovered',
  'clock_ref',
  'section_locked',
  'recipient_duplicate',
  'org_level_duplicate',
  'recipient_role',
]);

/** The server's issue in the user's language when it names the rule; its English message otherwise. */
function useIssueText(): (issue: FieldIssue) => string {
  const { t, i18n } = useTranslation();
  return (issue) => {
    if (!issue.rule || !RULES.has(issue.rule)) return issue.message;
    const p = issue.params ?? {};
    const money = (v: string | number | null | undefined) =>
      typeof v === 'number' ? (yuan(v, i18n.language) ?? '') : t('cases.settings.noLimit');
    const params: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(p)) {
      const v = String(value);
      if (key === 'role' || key === 'roleBelow') params[key] = t(`role.${v as 'teller'}`);
      else if (key === 'authorityLevel' || key === 'authorityLevelBelow')
        params[key] = t(`cases.settings.authorityLevel.${v as 'any'}`);
      else if (key === 'escalationLevel' || key === 'escalationLevelBefore')
        params[key] = t(`cases.level.${v as 'assignee'}`);
      else if (key === 'recipient')
        params[key] = v === 'assignee' ? t('cases.settings.assigneeWho') : t(`role.${v as 'teller'}`);
      else if (key === 'limit' || key === 'limitBelow' || key === 'ceiling') params[key] = money(value);
      else if (key === 'mode') params[key] = t(`cases.settings.modeName.${v as 'hours'}`);
      else if (key === 'caseType') params[key] = t(`cases.type.${v as 'complaint'}`);
      else if (key === 'section') params[key] = t(`cases.settings.section.${v as 'policy'}`);
      else params[key] = value ?? '';
    }
    const text = t(`cases.settings.rules.${issue.rule as 'shares_distinct'}`, params);
    return typeof p.unit === 'string'
      ? `${t('cases.settings.belowPrefix', { unit: p.unit, version: p.unitVersion ?? '' })}${text}`
      : text;
  };
}

/** What the server says is wrong, grouped under the section it concerns. */
function IssueList({ issues }: { readonly issues: readonly FieldIssue[] }) {
  const { t } = useTranslation();
  const text = useIssueText();
  if (issues.length === 0) return null;
  const sectionOf = (path: string) => {
    const m = /^override\.(presets|policy|escalation|authority)/.exec(path);
    if (m) return t(`cases.settings.section.${m[1] as CaseConfigSection}`);
    if (path.startsWith('below.')) return t('cases.settings.issueBelow');
    return path;
  };
  return (
    <Alert
      type="error"
      showIcon
      data-testid="settings-issues"
      title={t('cases.settings.issuesTitle', { count: issues.length })}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {issues.map((i) => (
            <li key={`${i.path}|${i.message}`}>
              {sectionOf(i.path) && <Typography.Text strong>{sectionOf(i.path)}: </Typography.Text>}
              {text(i)}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function ClockSummary({ clock }: { readonly clock: TClockDefinition | undefined }) {
  const { t } = useTranslation();
  if (!clock) return <Typography.Text type="danger">?</Typography.Text>;
  return (
    <span>
      {t(`cases.settings.mode.${clock.mode}`, { count: clock.amount })}
      {clock.end === 'close_of_business' && (
        <Typography.Text type="secondary"> · {t('cases.settings.end.close_of_business')}</Typography.Text>
      )}
    </span>
  );
}

/** Edits one inline clock: counting mode, amount, day end, roll-over. */
function ClockModal({
  clock,
  onOk,
  onCancel,
}: {
  readonly clock: TClockDefinition | undefined;
  readonly onOk: (c: TClockDefinition) => void;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<TClockDefinition | undefined>(clock);
  useEffect(() => setDraft(clock), [clock]);
  return (
    <Modal
      open={clock !== undefined}
      title={t('cases.settings.editClock', { name: clock?.name ?? '' })}
      onOk={() => draft && onOk(draft)}
      onCancel={onCancel}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      {draft && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input
            aria-label={t('cases.settings.clockLabel')}
            value={draft.label}
            onChange={(e) => setDraft({ ...draft, label: e.target.value })}
            addonBefore={t('cases.settings.clockLabel')}
          />
          <Space wrap>
            <InputNumber
              aria-label={t('cases.settings.amount')}
              data-testid="clock-amount"
              min={draft.mode.endsWith('hours') ? 0.25 : 1}
              step={draft.mode.endsWith('hours') ? 0.25 : 1}
              value={draft.amount}
              onChange={(v) => typeof v === 'number' && setDraft({ ...draft, amount: v })}
            />
            <Select
              aria-label={t('cases.settings.modeLabel')}
              value={draft.mode}
              onChange={(mode) => setDraft({ ...draft, mode })}
              options={CountingModeList.map((m) => ({ value: m, label: t(`cases.settings.modeName.${m}`) }))}
              style={{ width: 150 }}
            />
            <Select
              aria-label={t('cases.settings.endLabel')}
              value={draft.end}
              onChange={(end) => setDraft({ ...draft, end })}
              options={DayEndList.map((m) => ({ value: m, label: t(`cases.settings.end.${m}`) }))}
              style={{ width: 150 }}
            />
            <Select
              aria-label={t('cases.settings.rollOverLabel')}
              value={draft.rollOver}
              onChange={(rollOver) => setDraft({ ...draft, rollOver })}
              options={RollOverList.map((m) => ({ value: m, label: t(`cases.settings.rollOver.${m}`) }))}
              style={{ width: 170 }}
            />
          </Space>
        </Space>
      )}
    </Modal>
  );
}

function PolicyEditor({
  policy,
  presets,
  editable,
  onChange,
}: {
  readonly policy: TSlaPolicy;
  readonly presets: readonly TSlaPreset[];
  readonly editable: boolean;
  readonly onChange: (p: TSlaPolicy) => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ rule: number; role: (typeof PolicyClockRoleList)[number] }>();
  const editingClock = editing ? policy.rules[editing.rule]?.clocks[editing.role] : undefined;
  const cell = (ref: TClockRef | undefined, rule: number, role: (typeof PolicyClockRoleList)[number]) => {
    if (!ref) return <Typography.Text type="secondary">—</Typography.Text>;
    const def = clockOf(ref, presets);
    if (isPresetRef(ref)) {
      return (
        <Space direction="vertical" size={0}>
          <Tag color="geekblue" bordered={false}>
            {ref.preset} · {ref.clock}
          </Tag>
          <ClockSummary clock={def} />
        </Space>
      );
    }
    return editable ? (
      <Button
        type="link"
        size="small"
        style={{ padding: 0 }}
        data-testid={`clock-${policy.rules[rule]?.id}-${role}`}
        onClick={() => setEditing({ rule, role })}
      >
        <ClockSummary clock={def} />
      </Button>
    ) : (
      <ClockSummary clock={def} />
    );
  };
  const matchTags = (rule: TSlaPolicy['rules'][number]) => {
    const m = rule.match;
    const tags = [
      ...(m.caseTypes ?? []).map((x) => t(`cases.type.${x}`)),
      ...(m.severities ?? []).map((x) => t(`cases.severity.${x}`)),
      ...(m.serviceLevels ?? []).map((x) =>
        t(`cases.settings.serviceLevel.${x as 'gold'}`, { defaultValue: x }),
      ),
    ];
    return tags.length > 0 ? (
      tags.map((x) => <Tag key={x}>{x}</Tag>)
    ) : (
      <Tag>{t('cases.settings.matchAll')}</Tag>
    );
  };
  return (
    <>
      <Typography.Paragraph type="secondary">{t('cases.settings.policyHint')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={policy.rules}
        data-testid="policy-table"
        scroll={{ x: 900 }}
        columns={[
          { title: t('cases.settings.rule'), dataIndex: 'id', width: 150 },
          { title: t('cases.settings.match'), render: (_, r) => matchTags(r), width: 200 },
          ...PolicyClockRoleList.map((role) => ({
            title: t(`cases.clockRole.${role}`),
            key: role,
            render: (_: unknown, r: TSlaPolicy['rules'][number], i: number) => cell(r.clocks[role], i, role),
          })),
        ]}
      />
      <ClockModal
        clock={editingClock && !isPresetRef(editingClock) ? editingClock : undefined}
        onCancel={() => setEditing(undefined)}
        onOk={(c) => {
          if (!editing) return;
          onChange({
            ...policy,
            rules: policy.rules.map((r, i) =>
              i === editing.rule ? { ...r, clocks: { ...r.clocks, [editing.role]: c } } : r,
            ),
          });
          setEditing(undefined);
        }}
      />
    </>
  );
}

function PresetsEditor({
  presets,
  editable,
  onChange,
}: {
  readonly presets: readonly TSlaPreset[];
  readonly editable: boolean;
  readonly onChange: (p: TSlaPreset[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const setClock = (pi: number, ci: number, patch: Partial<TClockDefinition>) =>
    onChange(
      presets.map((p, i) =>
        i === pi ? { ...p, clocks: p.clocks.map((c, j) => (j === ci ? { ...c, ...patch } : c)) } : p,
      ),
    );
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Alert type="info" showIcon title={t('cases.settings.presetsHint')} />
      {presets.map((p, pi) => (
        <Card
          key={p.name}
          size="small"
          title={
            <Space>
              <Tag color="geekblue">{p.name}</Tag>
              {p.label}
            </Space>
          }
          extra={
            BUILT_IN_PRESETS.includes(p.name) && (
              <Tag icon={<SafetyCertificateOutlined />}>{t('cases.settings.regulatory')}</Tag>
            )
          }
        >
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={p.clocks}
            columns={[
              {
                title: t('cases.settings.clock'),
                dataIndex: 'name',
                width: 170,
                render: (v: string) => <code>{v}</code>,
              },
              {
                title: t('cases.settings.clockLabel'),
                render: (_, c) => (i18n.language !== 'en' && c.labelZh ? c.labelZh : c.label),
              },
              {
                title: t('cases.settings.amount'),
                width: 210,
                render: (_, c, ci) =>
                  editable ? (
                    <Space>
                      <InputNumber
                        size="small"
                        aria-label={`${p.name} ${c.name}`}
                        data-testid={`preset-${p.name}-${c.name}`}
                        min={c.mode.endsWith('hours') ? 0.25 : 1}
                        value={c.amount}
                        onChange={(v) => typeof v === 'number' && setClock(pi, ci, { amount: v })}
                        style={{ width: 80 }}
                      />
                      <Typography.Text type="secondary">
                        {t(`cases.settings.modeName.${c.mode}`)}
                      </Typography.Text>
                    </Space>
                  ) : (
                    <ClockSummary clock={c} />
                  ),
              },
              {
                title: t('cases.settings.rollOverLabel'),
                width: 170,
                render: (_, c) => t(`cases.settings.rollOver.${c.rollOver}`),
              },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}

function EscalationEditor({
  policy,
  editable,
  onChange,
}: {
  readonly policy: TEscalationPolicy;
  readonly editable: boolean;
  readonly onChange: (p: TEscalationPolicy) => void;
}) {
  const { t } = useTranslation();
  const levelOptions = LevelList.map((l) => ({ value: l, label: t(`cases.level.${l}`) }));
  const hours = (m: number) => Math.round((m / 60) * 100) / 100;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Steps
        size="small"
        data-testid="escalation-steps"
        current={-1}
        items={[
          {
            title: t('cases.settings.warning'),
            description: policy.warningShares.map((s) => `${Math.round(s * 100)}%`).join(' · '),
          },
          { title: t('cases.settings.breach'), description: t('cases.settings.atDue') },
          ...policy.steps.map((s) => ({
            title: t(`cases.level.${s.level}`),
            description:
              s.afterBreachMinutes === 0
                ? t('cases.settings.atBreach')
                : t('cases.settings.afterHours', { count: hours(s.afterBreachMinutes) }),
          })),
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Typography.Text strong>{t('cases.settings.warningShares')}</Typography.Text>
          <Select<number[]>
            mode="multiple"
            aria-label={t('cases.settings.warningShares')}
            disabled={!editable}
            value={policy.warningShares}
            onChange={(v) => onChange({ ...policy, warningShares: [...v].sort((a, b) => a - b) })}
            options={[0.5, 0.6, 0.75, 0.8, 0.9].map((s) => ({ value: s, label: `${s * 100}%` }))}
            style={{ width: '100%' }}
          />
        </Col>
        <Col xs={24} md={8}>
          <Typography.Text strong>{t('cases.settings.warnTo')}</Typography.Text>
          <Select
            mode="multiple"
            aria-label={t('cases.settings.warnTo')}
            disabled={!editable}
            value={policy.warnTo}
            onChange={(v) => v.length > 0 && onChange({ ...policy, warnTo: v })}
            options={levelOptions}
            style={{ width: '100%' }}
          />
        </Col>
        <Col xs={24} md={8}>
          <Typography.Text strong>{t('cases.settings.breachTo')}</Typography.Text>
          <Select
            mode="multiple"
            aria-label={t('cases.settings.breachTo')}
            disabled={!editable}
            value={policy.breachTo}
            onChange={(v) => v.length > 0 && onChange({ ...policy, breachTo: v })}
            options={levelOptions}
            style={{ width: '100%' }}
          />
        </Col>
      </Row>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={policy.steps}
        data-testid="escalation-table"
        columns={[
          { title: '#', width: 40, render: (_, __, i) => i + 1 },
          {
            title: t('cases.settings.level'),
            render: (_, s, i) => (
              <Select
                aria-label={`${t('cases.settings.level')} ${i + 1}`}
                data-testid={`step-level-${i}`}
                disabled={!editable}
                value={s.level}
                onChange={(level) =>
                  onChange({ ...policy, steps: policy.steps.map((x, j) => (j === i ? { ...x, level } : x)) })
                }
                options={levelOptions}
                style={{ width: 220 }}
              />
            ),
          },
          {
            title: t('cases.settings.afterBreach'),
            render: (_, s, i) => (
              <InputNumber
                aria-label={`${t('cases.settings.afterBreach')} ${i + 1}`}
                data-testid={`step-hours-${i}`}
                disabled={!editable}
                min={0}
                step={0.5}
                value={hours(s.afterBreachMinutes)}
                addonAfter={t('cases.settings.hoursUnit')}
                onChange={(v) =>
                  typeof v === 'number' &&
                  onChange({
                    ...policy,
                    steps: policy.steps.map((x, j) =>
                      j === i ? { ...x, afterBreachMinutes: Math.round(v * 60) } : x,
                    ),
                  })
                }
              />
            ),
          },
          {
            title: '',
            width: 60,
            render: (_, __, i) =>
              editable && (
                <Button
                  aria-label={t('cases.settings.removeStep')}
                  icon={<DeleteOutlined />}
                  size="small"
                  onClick={() => onChange({ ...policy, steps: policy.steps.filter((_x, j) => j !== i) })}
                />
              ),
          },
        ]}
      />
      {editable && (
        <Button
          icon={<PlusOutlined />}
          onClick={() => {
            const last = policy.steps[policy.steps.length - 1];
            onChange({
              ...policy,
              steps: [
                ...policy.steps,
                {
                  level: 'head_office_service_centre',
                  afterBreachMinutes: (last?.afterBreachMinutes ?? 0) + 60,
                },
              ],
            });
          }}
        >
          {t('cases.settings.addStep')}
        </Button>
      )}
      <EscalationRecipientsEditor policy={policy} editable={editable} onChange={onChange} />
    </Space>
  );
}

function limitOf(table: TAuthorityTable, role: Tier['role'], level: 'branch' | 'region' | 'head_office') {
  const tier =
    table.tiers.find((x) => x.role === role && x.level === level) ??
    table.tiers.find((x) => x.role === role && x.level === 'any');
  if (!tier) return 0;
  return tier.limitMinor ?? Number.POSITIVE_INFINITY;
}

function AuthorityChart({ table }: { readonly table: TAuthorityTable }) {
  const { t } = useTranslation();
  const roles = AuthorityRoleList.filter((r) => table.tiers.some((x) => x.role === r));
  const levels = ['branch', 'region', 'head_office'] as const;
  const finite = roles
    .flatMap((r) => levels.map((l) => limitOf(table, r, l)))
    .filter((v) => Number.isFinite(v) && v > 0);
  const top = Math.max(10_000, ...finite) * 4;
  const option: EChartOption = {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) =>
        v >= top ? t('cases.settings.noLimit') : `¥${(v / 100).toLocaleString()}`,
    },
    legend: { top: 0 },
    grid: { left: 70, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: roles.map((r) => t(`role.${r}`)) },
    yAxis: {
      type: 'log',
      min: 10_000,
      max: top,
      axisLabel: { formatter: (v: number) => (v >= top ? '∞' : `¥${(v / 100).toLocaleString()}`) },
    },
    series: levels.map((l, i) => ({
      type: 'bar',
      name: t(`cases.settings.authorityLevel.${l}`),
      data: roles.map((r) => {
        const v = limitOf(table, r, l);
        return v === 0 ? null : Number.isFinite(v) ? v : top;
      }),
      itemStyle: { color: ['#f0b6b8', '#d9595e', '#8c1d22'][i] },
      barMaxWidth: 22,
    })),
  };
  return <EChart option={option} height={260} label={t('cases.settings.authorityChart')} />;
}

function AuthorityEditor({
  table,
  editable,
  onChange,
}: {
  readonly table: TAuthorityTable;
  readonly editable: boolean;
  readonly onChange: (t: TAuthorityTable) => void;
}) {
  const { t, i18n } = useTranslation();
  const set = (i: number, patch: Partial<Tier>) =>
    onChange({ ...table, tiers: table.tiers.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
  return (
    <Row gutter={16}>
      <Col xs={24} xl={13}>
        <Typography.Paragraph type="secondary">{t('cases.settings.authorityHint')}</Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={table.tiers}
          data-testid="authority-table"
          columns={[
            {
              title: t('cases.settings.role'),
              render: (_, x, i) =>
                editable ? (
                  <Select
                    aria-label={`${t('cases.settings.role')} ${i + 1}`}
                    value={x.role}
                    onChange={(role) => set(i, { role })}
                    options={AuthorityRoleList.map((r) => ({ value: r, label: t(`role.${r}`) }))}
                    style={{ width: 180 }}
                  />
                ) : (
                  t(`role.${x.role}`)
                ),
            },
            {
              title: t('cases.settings.authorityLevelLabel'),
              render: (_, x, i) =>
                editable ? (
                  <Select
                    aria-label={`${t('cases.settings.authorityLevelLabel')} ${i + 1}`}
                    value={x.level}
                    onChange={(level) => set(i, { level })}
                    options={AuthorityLevelList.map((l) => ({
                      value: l,
                      label: t(`cases.settings.authorityLevel.${l}`),
                    }))}
                    style={{ width: 120 }}
                  />
                ) : (
                  t(`cases.settings.authorityLevel.${x.level}`)
                ),
            },
            {
              title: t('cases.settings.limit'),
              render: (_, x, i) =>
                editable ? (
                  <Space>
                    <InputNumber
                      aria-label={`${t('cases.settings.limit')} ${i + 1}`}
                      data-testid={`limit-${x.role}-${x.level}`}
                      disabled={x.limitMinor === null}
                      min={0}
                      step={100}
                      prefix="¥"
                      value={x.limitMinor === null ? undefined : x.limitMinor / 100}
                      onChange={(v) => typeof v === 'number' && set(i, { limitMinor: Math.round(v * 100) })}
                      style={{ width: 130 }}
                    />
                    <Checkbox
                      checked={x.limitMinor === null}
                      onChange={(e) => set(i, { limitMinor: e.target.checked ? null : 0 })}
                    >
                      {t('cases.settings.noLimit')}
                    </Checkbox>
                  </Space>
                ) : (
                  (yuan(x.limitMinor, i18n.language) ?? <Tag color="red">{t('cases.settings.noLimit')}</Tag>)
                ),
            },
            {
              title: '',
              width: 50,
              render: (_, __, i) =>
                editable && (
                  <Button
                    aria-label={t('cases.settings.removeTier')}
                    icon={<DeleteOutlined />}
                    size="small"
                    onClick={() => onChange({ ...table, tiers: table.tiers.filter((_x, j) => j !== i) })}
                  />
                ),
            },
          ]}
        />
        {editable && (
          <Button
            icon={<PlusOutlined />}
            style={{ marginTop: 8 }}
            onClick={() =>
              onChange({
                ...table,
                tiers: [...table.tiers, { role: 'teller', level: 'branch', limitMinor: 0 }],
              })
            }
          >
            {t('cases.settings.addTier')}
          </Button>
        )}
      </Col>
      <Col xs={24} xl={11}>
        <Card size="small" title={t('cases.settings.authorityChart')}>
          <AuthorityChart table={table} />
        </Card>
      </Col>
    </Row>
  );
}

function HistoryTab({
  unitId,
  reloadKey,
  onLoad,
  canEdit,
}: {
  readonly unitId: string;
  readonly reloadKey: number;
  readonly onLoad: (v: ConfigVersion) => void;
  readonly canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const versions = useAsync((signal) => configApi.versions(unitId, signal), [unitId, reloadKey]);
  return (
    <Table
      size="small"
      rowKey="version"
      loading={versions.loading}
      dataSource={versions.data ?? []}
      data-testid="config-history"
      locale={{ emptyText: <Empty description={t('cases.settings.noVersions')} /> }}
      pagination={{ pageSize: 10, hideOnSinglePage: true }}
      columns={[
        {
          title: t('cases.settings.version'),
          dataIndex: 'version',
          width: 80,
          render: (v: number) => `v${v}`,
        },
        {
          title: t('cases.settings.savedAt'),
          dataIndex: 'createdAt',
          render: (v: string) => formatDateTime(v, i18n.language),
        },
        { title: t('cases.settings.savedBy'), dataIndex: 'createdByName' },
        {
          title: t('cases.settings.overrides'),
          render: (_, v) =>
            v.sections.length === 0 ? (
              <Tag>{t('cases.settings.inheritsAll')}</Tag>
            ) : (
              v.sections.map((s) => <Tag key={s}>{t(`cases.settings.section.${s}`)}</Tag>)
            ),
        },
        {
          title: t('cases.settings.locks'),
          render: (_, v) =>
            v.override.locks.map((s) => (
              <Tag key={s} icon={<LockOutlined />}>
                {t(`cases.settings.section.${s}`)}
              </Tag>
            )),
        },
        { title: t('cases.settings.note'), dataIndex: 'note' },
        {
          title: '',
          render: (_, v) =>
            canEdit && (
              <Button size="small" onClick={() => onLoad(v)}>
                {t('cases.settings.loadVersion')}
              </Button>
            ),
        },
      ]}
    />
  );
}

/**
 * Case-engine settings of one org unit: SLA policy and regulatory presets, escalation chain,
 * compensation authority — each inherited from the units above or overridden here — with
 * validation by the server, version history and the due times a new case would get.
 */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { user, unitId, setUnitId, reloadKey, reload, view } = useUnitView(configApi.view);
  const [draft, setDraft] = useState<TCaseConfigOverride | undefined>(undefined);
  const [note, setNote] = useState('');
  const [issues, setIssues] = useState<readonly FieldIssue[]>([]);
  const [busy, setBusy] = useState<'check' | 'save' | undefined>();
  const [tab, setTab] = useState<string>('policy');
  const v: UnitConfigView | undefined = view.data;
  useEffect(() => {
    setDraft(v ? { ...v.override, locks: [...v.override.locks] } : undefined);
    setIssues([]);
  }, [v]);
  const canEdit = user.can('case.configure');
  const dirty = useMemo(
    () => v !== undefined && draft !== undefined && JSON.stringify(draft) !== JSON.stringify(v.override),
    [v, draft],
  );

  const submit = async (dryRun: boolean) => {
    if (!v || !draft) return;
    setBusy(dryRun ? 'check' : 'save');
    try {
      await configApi.save(
        unitId,
        { expectedVersion: v.version, override: draft, ...(note.trim() ? { note: note.trim() } : {}) },
        dryRun,
      );
      setIssues([]);
      if (dryRun) {
        void message.success(t('cases.settings.valid'));
      } else {
        void message.success(t('cases.settings.saved', { version: v.version + 1 }));
        setNote('');
        reload();
      }
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) setIssues(error.issues);
      else setIssues([{ path: '', message: describeError(error, t).title }]);
    } finally {
      setBusy(undefined);
    }
  };

  const section = <S extends CaseConfigSection>(s: S): TCaseConfig[S] | undefined =>
    (draft?.[s] as TCaseConfig[S] | undefined) ?? v?.inherited[s];
  const editable = (s: CaseConfigSection) => canEdit && draft?.[s] !== undefined && !v?.lockedBy[s];
  const setSection = <S extends CaseConfigSection>(s: S, value: TCaseConfig[S] | undefined) => {
    if (!draft) return;
    const next: TCaseConfigOverride = { ...draft };
    if (value === undefined) delete next[s];
    else (next as Record<CaseConfigSection, unknown>)[s] = value;
    setDraft(next);
  };

  const sectionBar = (s: CaseConfigSection) => {
    if (!v || !draft) return null;
    const overridden = draft[s] !== undefined;
    const lock = v.lockedBy[s];
    const src = v.sources[s];
    const from = src.unit
      ? t('cases.settings.inheritedFrom', { unit: unitName(src.unit, i18n.language), version: src.version })
      : t('cases.settings.codeDefaults');
    return (
      <Space wrap style={{ marginBottom: 12 }} data-testid={`section-${s}`}>
        {overridden ? (
          <Tag color="blue" data-testid={`section-${s}-state`}>
            {t('cases.settings.overriddenHere')}
          </Tag>
        ) : (
          <Tag data-testid={`section-${s}-state`}>
            {v.root && !src.unit ? t('cases.settings.codeDefaults') : from}
          </Tag>
        )}
        {lock && (
          <Tag color="red" icon={<LockOutlined />}>
            {t('cases.settings.lockedBy', { unit: unitName(lock, i18n.language) })}
          </Tag>
        )}
        {canEdit && !lock && !overridden && (
          <Button size="small" data-testid={`override-${s}`} onClick={() => setSection(s, v.inherited[s])}>
            {t('cases.settings.overrideHere')}
          </Button>
        )}
        {canEdit && !lock && overridden && (
          <Button size="small" onClick={() => setSection(s, undefined)}>
            {v.root ? t('cases.settings.backToDefaults') : t('cases.settings.backToInherited')}
          </Button>
        )}
        {canEdit && (
          <Checkbox
            checked={draft.locks.includes(s)}
            onChange={(e) =>
              setDraft({
                ...draft,
                locks: e.target.checked ? [...draft.locks, s] : draft.locks.filter((x) => x !== s),
              })
            }
          >
            {t('cases.settings.lockBelow')}
          </Checkbox>
        )}
      </Space>
    );
  };

  const policy = section('policy');
  const presets = section('presets');
  const escalation = section('escalation');
  const authority = section('authority');

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('cases.settings.title')}
        extra={
          <Space wrap>
            <UnitPicker value={unitId} onChange={setUnitId} testId="settings-unit" />
            {v && (
              <Tag color={v.version > 0 ? 'blue' : 'default'} data-testid="settings-version">
                {v.version > 0
                  ? t('cases.settings.versionTag', { version: v.version })
                  : t('cases.settings.noOwnVersion')}
              </Tag>
            )}
          </Space>
        }
      >
        <Alert
          type="warning"
          showIcon
          data-testid="settings-open-cases-note"
          title={t('cases.settings.openCasesTitle')}
          description={t('cases.settings.openCasesBody')}
          style={{ marginBottom: 16 }}
        />
        {view.error !== undefined && (
          <Alert type="error" showIcon title={describeError(view.error, t).title} />
        )}
        {v && draft && policy && presets && escalation && authority && (
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              ...SectionList.map((s) => ({
                key: s,
                label: (
                  <span data-testid={`tab-${s}`}>
                    {t(`cases.settings.section.${s}`)}
                    {draft[s] !== undefined && (
                      <Tag color="blue" bordered={false} style={{ marginLeft: 6 }}>
                        ●
                      </Tag>
                    )}
                  </span>
                ),
                children: (
                  <>
                    {sectionBar(s)}
                    {s === 'policy' && (
                      <PolicyEditor
                        policy={policy}
                        presets={presets}
                        editable={editable('policy')}
                        onChange={(p) => setSection('policy', p)}
                      />
                    )}
                    {s === 'presets' && (
                      <PresetsEditor
                        presets={presets}
                        editable={editable('presets')}
                        onChange={(p) => setSection('presets', p)}
                      />
                    )}
                    {s === 'escalation' && (
                      <EscalationEditor
                        policy={escalation}
                        editable={editable('escalation')}
                        onChange={(p) => setSection('escalation', p)}
                      />
                    )}
                    {s === 'authority' && (
                      <AuthorityEditor
                        table={authority}
                        editable={editable('authority')}
                        onChange={(p) => setSection('authority', p)}
                      />
                    )}
                  </>
                ),
              })),
              {
                key: 'history',
                label: <span data-testid="tab-history">{t('cases.settings.history')}</span>,
                children: (
                  <HistoryTab
                    unitId={unitId}
                    reloadKey={reloadKey}
                    canEdit={canEdit}
                    onLoad={(version) => {
                      setDraft({ ...version.override, locks: [...version.override.locks] });
                      setNote(t('cases.settings.restoreNote', { version: version.version }));
                      setTab('policy');
                    }}
                  />
                ),
              },
            ]}
          />
        )}
        {canEdit && v && (
          <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
            <IssueList issues={issues} />
            <Space wrap>
              <Input
                aria-label={t('cases.settings.note')}
                data-testid="settings-note"
                placeholder={t('cases.settings.notePlaceholder')}
                value={note}
                maxLength={500}
                onChange={(e) => setNote(e.target.value)}
                style={{ width: 360 }}
              />
              <Button
                data-testid="settings-check"
                loading={busy === 'check'}
                onClick={() => void submit(true)}
              >
                {t('cases.settings.check')}
              </Button>
              <Button
                type="primary"
                icon={<SaveOutlined />}
                data-testid="settings-save"
                disabled={!dirty}
                loading={busy === 'save'}
                onClick={() => void submit(false)}
              >
                {t('cases.settings.save', { version: v.version + 1 })}
              </Button>
              {dirty && (
                <Button onClick={() => setDraft({ ...v.override, locks: [...v.override.locks] })}>
                  {t('cases.settings.discard')}
                </Button>
              )}
            </Space>
          </Space>
        )}
      </Card>
      <DuePreview unitId={unitId} reloadKey={reloadKey} />
    </Space>
  );
}
