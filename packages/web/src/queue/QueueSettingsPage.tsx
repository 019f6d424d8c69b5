import { DeleteOutlined, EditOutlined, PlusOutlined, SettingOutlined, UndoOutlined } from '@ant-design/icons';
import type { TBranchQueuePolicy } from '@serviceloop/domain';
import { PersonServiceLevels } from '@serviceloop/domain/customers/kinds';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  type FormRule,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { ApiError, api, describeError } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import { FormModal } from '../shell/FormModal.tsx';
import { formatDateTime } from '../shell/format.ts';
import { useAsync } from '../shell/hooks.ts';
import { apiPut, type QueueService, type QueueSettings } from './api.ts';
import { useQueueBranch } from './branch.tsx';

/** The policy as the form edits it: times in minutes, the level map as a list. */
interface PolicyForm {
  readonly classes: {
    readonly id: string;
    readonly nameZh?: string;
    readonly nameEn?: string;
    readonly weight: number;
    readonly headStartMin: number;
    readonly maxWaitMin: number;
  }[];
  readonly defaultClass: string;
  readonly assistanceClass?: string;
  readonly levels: Record<string, string | undefined>;
  readonly skillRankPenaltyMin: number;
  readonly noShowAfterRecalls: number;
}

interface ServiceForm {
  readonly code: string;
  readonly prefix: string;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly targetWaitMin: number;
  readonly active: boolean;
}

const MIN = 60_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

function toForm(p: TBranchQueuePolicy): PolicyForm {
  return {
    classes: p.calling.classes.map((c) => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      weight: c.weight,
      headStartMin: round2(c.headStartMs / MIN),
      maxWaitMin: round2(c.maxWaitMs / MIN),
    })),
    defaultClass: p.calling.defaultClass,
    assistanceClass: p.calling.assistanceClass,
    levels: Object.fromEntries(PersonServiceLevels.map((l) => [l, p.calling.serviceLevelClasses[l]])),
    skillRankPenaltyMin: round2(p.calling.skillRankPenaltyMs / MIN),
    noShowAfterRecalls: p.noShowAfterRecalls,
  };
}

function fromForm(f: PolicyForm, current: TBranchQueuePolicy): TBranchQueuePolicy {
  // Levels the form does not show (company levels) keep their mapping.
  const kept = Object.fromEntries(
    Object.entries(current.calling.serviceLevelClasses).filter(
      ([level]) => !(PersonServiceLevels as readonly string[]).includes(level),
    ),
  );
  const shown = Object.fromEntries(
    Object.entries(f.levels).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  return {
    calling: {
      classes: f.classes.map((c) => ({
        id: c.id.trim(),
        ...(c.nameZh?.trim() ? { nameZh: c.nameZh.trim() } : {}),
        ...(c.nameEn?.trim() ? { nameEn: c.nameEn.trim() } : {}),
        weight: c.weight,
        headStartMs: Math.round(c.headStartMin * MIN),
        maxWaitMs: Math.round(c.maxWaitMin * MIN),
      })),
      defaultClass: f.defaultClass,
      ...(f.assistanceClass ? { assistanceClass: f.assistanceClass } : {}),
      serviceLevelClasses: { ...kept, ...shown },
      skillRankPenaltyMs: Math.round(f.skillRankPenaltyMin * MIN),
    },
    noShowAfterRecalls: f.noShowAfterRecalls,
  };
}

/**
 * How the policy ranks a ticket as it waits: effective wait = head start + weight × minutes
 * waited, until the maximum-wait guarantee (a dot) puts it ahead of every ticket not yet overdue.
 */
function policyChart(f: PolicyForm | undefined, label: (id: string) => string, t: TFunction) {
  const classes = (f?.classes ?? []).filter(
    (c) => c && typeof c.weight === 'number' && typeof c.maxWaitMin === 'number' && c.id,
  );
  const horizon = Math.max(30, ...classes.map((c) => Math.ceil(c.maxWaitMin) + 5));
  const xs = Array.from({ length: horizon + 1 }, (_, i) => i);
  const colours = ['#8f1d22', '#fa8c16', '#1677ff', '#52c41a', '#722ed1', '#13c2c2'];
  const option: EChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: classes.map((c) => label(c.id)) },
    grid: { left: 48, right: 20, top: 56, bottom: 44 },
    xAxis: {
      type: 'value',
      min: 0,
      max: horizon,
      name: t('queue.settings.chartX'),
      nameLocation: 'middle',
      nameGap: 28,
    },
    yAxis: { type: 'value', min: 0, name: t('queue.settings.chartY'), nameTextStyle: { align: 'left' } },
    series: classes.map((c, i) => {
      const at = (x: number) => round2((c.headStartMin ?? 0) + c.weight * x);
      const guarantee = Math.min(horizon, c.maxWaitMin);
      const points = [...new Set([...xs, guarantee])].sort((a, b) => a - b);
      return {
        name: label(c.id),
        type: 'line',
        symbol: 'none',
        showSymbol: true,
        data: points.map((x) =>
          x === guarantee ? { value: [x, at(x)], symbol: 'circle', symbolSize: 11 } : { value: [x, at(x)] },
        ),
        itemStyle: { color: colours[i % colours.length] },
      };
    }),
  };
  return option;
}

/** A cell of the classes table: a form field without a label of its own (the column names it). */
function FieldCell({
  name,
  rules,
  children,
}: {
  readonly name: (string | number)[];
  readonly rules?: FormRule[];
  readonly children: ReactNode;
}) {
  return (
    <td style={{ paddingRight: 8 }}>
      <Form.Item name={name} rules={rules} style={{ marginBottom: 8 }}>
        {children}
      </Form.Item>
    </td>
  );
}

/** Branch manager: the branch's service catalogue and calling policy. */
export function QueueSettingsPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { message } = App.useApp();
  const user = useUser();
  const canEdit = user.can('queue.configure');
  const { branchId, picker } = useQueueBranch();
  const settings = useAsync(
    (signal) =>
      branchId
        ? api.get<QueueSettings>(`/branches/${branchId}/queue-settings`, undefined, signal)
        : Promise.resolve(undefined),
    [branchId],
  );
  const s = settings.data;
  const [editing, setEditing] = useState<QueueService | 'new' | undefined>(undefined);
  const [policyForm] = Form.useForm<PolicyForm>();
  const watched = Form.useWatch([], policyForm) as PolicyForm | undefined;
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState(false);
  const [loadedVersion, setLoadedVersion] = useState<string | undefined>(undefined);

  // Fill the policy form once per loaded version (not on every re-render).
  const versionKey = s ? `${s.branchId}:${s.version}` : undefined;
  if (s && versionKey !== loadedVersion) {
    setLoadedVersion(versionKey);
    policyForm.setFieldsValue(toForm(s.policy));
    setStale(false);
  }

  const fail = (e: unknown) => {
    const d = describeError(e, t);
    void message.error(d.detail ? `${d.title} — ${d.detail}` : d.title);
  };

  const classIds = (watched?.classes ?? []).map((c) => c?.id).filter((id): id is string => !!id);
  const classLabel = (id: string) => {
    const c = watched?.classes?.find((x) => x?.id === id);
    const name = locale === 'en' ? c?.nameEn : c?.nameZh;
    return name ? `${name} (${id})` : id;
  };
  const classOptions = classIds.map((id) => ({ value: id, label: classLabel(id) }));
  const chart = policyChart(watched, classLabel, t);

  const savePolicy = async (values: PolicyForm) => {
    if (!s) return;
    const policy = fromForm(values, s.policy);
    setSaving(true);
    try {
      await apiPut<QueueSettings>(`/branches/${branchId}/queue-settings/policy`, {
        ...policy,
        expectedVersion: s.version,
      });
      void message.success(t('queue.settings.saved'));
      settings.reload();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setStale(true);
      // The server checks the policy with the domain's schema (the web bundle carries no zod).
      else if (e instanceof ApiError && e.code === 'validation_failed' && e.issues.length > 0)
        void message.error(e.issues.map((i) => i.message).join('; '));
      else fail(e);
    } finally {
      setSaving(false);
    }
  };

  const saveService = async (values: ServiceForm) => {
    const body = {
      prefix: values.prefix,
      nameZh: values.nameZh,
      nameEn: values.nameEn,
      targetWaitSeconds: Math.round(values.targetWaitMin * 60),
      active: values.active,
    };
    if (editing === 'new') {
      await api.post<QueueService>(`/branches/${branchId}/services`, { code: values.code, ...body });
    } else if (editing) {
      await api.patch<QueueService>(`/branches/${branchId}/services/${editing.code}`, body);
    }
    void message.success(t('queue.settings.saved'));
    setEditing(undefined);
    settings.reload();
  };

  const toggle = async (service: QueueService, active: boolean) => {
    try {
      await api.patch<QueueService>(`/branches/${branchId}/services/${service.code}`, { active });
      void message.success(t('queue.settings.saved'));
      settings.reload();
    } catch (e) {
      fail(e);
    }
  };

  if (!branchId) return <Card title={t('queue.settings.title')}>{t('queue.noBranch')}</Card>;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <SettingOutlined />
            {`${t('queue.settings.title')}${s ? ` · ${locale === 'en' ? (s.branchNameEn ?? s.branchName) : s.branchName}` : ''}`}
          </Space>
        }
        extra={picker}
        loading={settings.loading && !s}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: canEdit ? 0 : 12 }}>
          {t('queue.settings.intro')}
        </Typography.Paragraph>
        {!canEdit && <Alert type="info" showIcon title={t('queue.settings.readOnly')} />}
      </Card>

      <Card
        title={t('queue.settings.services')}
        extra={
          canEdit && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="service-add">
              {t('queue.settings.addService')}
            </Button>
          )
        }
      >
        <Table<QueueService>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={s?.services ?? []}
          data-testid="settings-services"
          columns={[
            {
              title: t('queue.settings.prefix'),
              dataIndex: 'prefix',
              width: 70,
              render: (p: string) => <Tag color="red">{p}</Tag>,
            },
            { title: t('queue.settings.code'), dataIndex: 'code', width: 120 },
            { title: t('queue.settings.nameZh'), dataIndex: 'nameZh' },
            { title: t('queue.settings.nameEn'), dataIndex: 'nameEn' },
            {
              title: t('queue.settings.targetWaitShort'),
              dataIndex: 'targetWaitSeconds',
              width: 120,
              render: (v: number) => t('queue.minutes', { n: Math.round((v / 60) * 10) / 10 }),
            },
            {
              title: t('queue.settings.active'),
              dataIndex: 'active',
              width: 90,
              render: (v: boolean, row) => (
                <Switch
                  checked={v}
                  disabled={!canEdit}
                  onChange={(on) => void toggle(row, on)}
                  aria-label={`${t('queue.settings.active')} ${row.code}`}
                />
              ),
            },
            {
              title: '',
              key: 'edit',
              width: 90,
              render: (_: unknown, row) =>
                canEdit ? (
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setEditing(row)}
                    data-testid={`service-edit-${row.code}`}
                  >
                    {t('queue.settings.edit')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>

      <Card
        title={t('queue.settings.policy')}
        extra={
          s && (
            <Typography.Text type="secondary" data-testid="policy-version">
              {s.version === 0
                ? t('queue.settings.neverEdited')
                : `${t('queue.settings.version', { v: s.version })} · ${t('queue.settings.updatedBy', {
                    name: s.updatedByName ?? '',
                    time: s.updatedAt ? formatDateTime(s.updatedAt, i18n.language) : '',
                  })}`}
            </Typography.Text>
          )
        }
      >
        <Typography.Paragraph type="secondary">{t('queue.settings.policyIntro')}</Typography.Paragraph>
        {stale && (
          <Alert
            type="warning"
            showIcon
            title={t('queue.settings.stale')}
            action={
              <Button size="small" onClick={() => settings.reload()}>
                {t('queue.settings.reload')}
              </Button>
            }
            style={{ marginBottom: 16 }}
            data-testid="policy-stale"
          />
        )}
        <Form<PolicyForm>
          form={policyForm}
          layout="vertical"
          disabled={!canEdit}
          onFinish={(v) => void savePolicy(v)}
          data-testid="policy-form"
        >
          <Row gutter={24}>
            <Col xs={24} xl={14}>
              <Typography.Text strong>{t('queue.settings.classes')}</Typography.Text>
              <Form.List name="classes">
                {(fields, { add, remove }) => (
                  <>
                    <table style={{ width: '100%', marginTop: 8, borderCollapse: 'collapse' }}>
                      <thead>
                        <tr style={{ textAlign: 'left', color: '#666', fontSize: 13 }}>
                          <th>{t('queue.settings.classId')}</th>
                          <th>{t('queue.settings.className')}</th>
                          <th>{t('queue.settings.weight')}</th>
                          <th>{t('queue.settings.headStart')}</th>
                          <th>{t('queue.settings.maxWait')}</th>
                          <th />
                        </tr>
                      </thead>
                      <tbody>
                        {fields.map((field) => (
                          <tr key={field.key} data-testid="policy-class">
                            <FieldCell
                              name={[field.name, 'id']}
                              rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]*$/ }]}
                            >
                              <Input style={{ width: 110 }} />
                            </FieldCell>
                            <FieldCell name={[field.name, locale === 'en' ? 'nameEn' : 'nameZh']}>
                              <Input style={{ width: 110 }} />
                            </FieldCell>
                            <FieldCell name={[field.name, 'weight']} rules={[{ required: true }]}>
                              <InputNumber min={0.1} max={1000} step={0.5} style={{ width: 90 }} />
                            </FieldCell>
                            <FieldCell name={[field.name, 'headStartMin']} rules={[{ required: true }]}>
                              <InputNumber min={0} max={1440} style={{ width: 90 }} />
                            </FieldCell>
                            <FieldCell name={[field.name, 'maxWaitMin']} rules={[{ required: true }]}>
                              <InputNumber
                                min={1}
                                max={1440}
                                style={{ width: 90 }}
                                data-testid={`policy-maxwait-${field.name}`}
                              />
                            </FieldCell>
                            <td>
                              <Button
                                type="text"
                                danger
                                icon={<DeleteOutlined />}
                                aria-label={t('queue.settings.remove')}
                                disabled={!canEdit || fields.length <= 1}
                                onClick={() => remove(field.name)}
                                style={{ marginBottom: 8 }}
                              />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    <Button
                      icon={<PlusOutlined />}
                      onClick={() => add({ id: '', weight: 1, headStartMin: 0, maxWaitMin: 30 })}
                      disabled={!canEdit || fields.length >= 32}
                      style={{ marginBottom: 16 }}
                    >
                      {t('queue.settings.addClass')}
                    </Button>
                  </>
                )}
              </Form.List>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="defaultClass"
                    label={t('queue.settings.defaultClass')}
                    rules={[{ required: true }]}
                  >
                    <Select options={classOptions} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="assistanceClass" label={t('queue.settings.assistanceClass')}>
                    <Select allowClear placeholder={t('queue.settings.none')} options={classOptions} />
                  </Form.Item>
                </Col>
              </Row>
              <Typography.Text strong>{t('queue.settings.levelMap')}</Typography.Text>
              <Row gutter={16} style={{ marginTop: 8 }}>
                {PersonServiceLevels.map((level) => (
                  <Col xs={12} md={6} key={level}>
                    <Form.Item name={['levels', level]} label={t(`serviceLevel.${level}`)}>
                      <Select allowClear placeholder={t('queue.settings.none')} options={classOptions} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="skillRankPenaltyMin"
                    label={t('queue.settings.skillRankPenalty')}
                    tooltip={t('queue.settings.skillRankPenaltyHelp')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber min={0} max={1440} style={{ width: 120 }} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="noShowAfterRecalls"
                    label={t('queue.settings.noShowAfterRecalls')}
                    tooltip={t('queue.settings.noShowAfterRecallsHelp')}
                    rules={[{ required: true }]}
                  >
                    <InputNumber
                      min={0}
                      max={9}
                      precision={0}
                      style={{ width: 120 }}
                      data-testid="policy-recalls"
                    />
                  </Form.Item>
                </Col>
              </Row>
            </Col>
            <Col xs={24} xl={10}>
              <Typography.Text strong>{t('queue.settings.chartTitle')}</Typography.Text>
              <EChart option={chart} height={300} label={t('queue.settings.chartTitle')} />
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('queue.settings.chartNote')}
              </Typography.Paragraph>
            </Col>
          </Row>
          {canEdit && (
            <Space>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="policy-save">
                {t('queue.settings.savePolicy')}
              </Button>
              <Button
                icon={<UndoOutlined />}
                onClick={() => s && policyForm.setFieldsValue(toForm(s.defaults))}
                data-testid="policy-defaults"
              >
                {t('queue.settings.restoreDefaults')}
              </Button>
            </Space>
          )}
        </Form>
      </Card>

      <FormModal<ServiceForm>
        open={editing !== undefined}
        title={
          editing === 'new'
            ? t('queue.settings.addService')
            : t('queue.settings.editService', { code: editing?.code ?? '' })
        }
        initialValues={
          editing && editing !== 'new'
            ? {
                code: editing.code,
                prefix: editing.prefix,
                nameZh: editing.nameZh,
                nameEn: editing.nameEn,
                targetWaitMin: Math.round((editing.targetWaitSeconds / 60) * 10) / 10,
                active: editing.active,
              }
            : { targetWaitMin: 15, active: true }
        }
        onCancel={() => setEditing(undefined)}
        onSubmit={saveService}
        testId="service-modal"
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="code"
              label={t('queue.settings.code')}
              extra={t('queue.settings.codeHelp')}
              rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9_-]*$/, max: 32 }]}
            >
              <Input disabled={editing !== 'new'} data-testid="service-code" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="prefix"
              label={t('queue.settings.prefix')}
              extra={t('queue.settings.prefixHelp')}
              normalize={(v: string) => v.toUpperCase()}
              rules={[{ required: true, pattern: /^[A-Z]$/ }]}
            >
              <Input maxLength={1} style={{ width: 80 }} data-testid="service-prefix" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="nameZh" label={t('queue.settings.nameZh')} rules={[{ required: true, max: 50 }]}>
          <Input data-testid="service-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('queue.settings.nameEn')} rules={[{ required: true, max: 50 }]}>
          <Input data-testid="service-name-en" />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="targetWaitMin"
              label={t('queue.settings.targetWait')}
              rules={[{ required: true, type: 'number', min: 1, max: 1440 }]}
            >
              <InputNumber min={1} max={1440} style={{ width: 140 }} data-testid="service-target" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="active" label={t('queue.settings.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </FormModal>
    </Space>
  );
}
