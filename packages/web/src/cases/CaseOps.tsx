import {
  Alert,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import {
  type Assignee,
  type CaseDetail,
  type CaseEconomics,
  type Economics,
  formatMoney,
  JrtBusinessList,
  JrtCauseList,
  JrtChannelList,
  type Money,
  SeverityList,
  VERDICT_COLOUR,
} from './model.ts';

interface ReclassifyValues {
  business: string;
  product?: string;
  jrtChannel?: string;
  jrtBusiness?: string;
  jrtCause?: string;
  otherText?: string;
  severity: string;
  reason: string;
}

/** Correcting the classification after intake: only what changed is sent, always with a reason. */
export function ReclassifyModal({
  detail,
  open,
  onClose,
  onDone,
}: {
  readonly detail: CaseDetail;
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onDone: (next: CaseDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ReclassifyValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);
  const record = detail.case.complaint;
  const cls = record?.classification;
  const jrt = [
    Form.useWatch('jrtChannel', form),
    Form.useWatch('jrtBusiness', form),
    Form.useWatch('jrtCause', form),
  ];
  const needsOther = jrt.includes('other');

  useEffect(() => {
    if (!open || !record) return;
    setError(undefined);
    form.setFieldsValue({
      business: record.business,
      product: record.product ?? '',
      jrtChannel: cls?.channel,
      jrtBusiness: cls?.businessType,
      jrtCause: cls?.cause,
      otherText: cls?.otherText ?? '',
      severity: record.severity,
      reason: '',
    });
  }, [open, record, cls, form]);

  if (!record) return null;

  const submit = async (v: ReclassifyValues) => {
    const body: Record<string, unknown> = { reason: v.reason.trim() };
    if (v.business.trim() !== record.business) body.business = v.business.trim();
    if ((v.product ?? '').trim() !== (record.product ?? '')) body.product = (v.product ?? '').trim() || null;
    if (v.severity !== record.severity) body.severity = v.severity;
    if (v.jrtChannel && v.jrtBusiness && v.jrtCause) {
      const next = {
        channel: v.jrtChannel,
        businessType: v.jrtBusiness,
        cause: v.jrtCause,
        ...(needsOther && v.otherText?.trim() ? { otherText: v.otherText.trim() } : {}),
      };
      if (JSON.stringify(next) !== JSON.stringify(cls ?? null)) body.classification = next;
    }
    if (Object.keys(body).length === 1) {
      setError({ title: t('cases.ops.noChange') });
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api.post<CaseDetail>(`/cases/${detail.case.id}/reclassify`, body));
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Modal
      open={open}
      title={t('cases.ops.reclassifyTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'reclassify-ok' } as Record<string, string>}
    >
      <Typography.Paragraph type="secondary">{t('cases.ops.reclassifyHint')}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.title}
          description={error.detail}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form<ReclassifyValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="business" label={t('cases.ops.business')} rules={required}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="product" label={t('cases.ops.product')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="jrtChannel" label={t('cases.intake.jrtChannel')}>
          <Select
            id="reclassify-jrt-channel"
            options={JrtChannelList.map((k) => ({ value: k, label: t(`cases.jrtChannel.${k}`) }))}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="jrtBusiness" label={t('cases.intake.jrtBusiness')}>
              <Select
                options={JrtBusinessList.map((k) => ({ value: k, label: t(`cases.jrtBusiness.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="jrtCause" label={t('cases.intake.jrtCause')}>
              <Select options={JrtCauseList.map((k) => ({ value: k, label: t(`cases.jrtCause.${k}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        {needsOther && (
          <Form.Item name="otherText" label={t('cases.intake.otherText')} rules={required}>
            <Input maxLength={200} />
          </Form.Item>
        )}
        <Form.Item name="severity" label={t('cases.case.severity')} extra={t('cases.ops.slaNote')}>
          <Select
            id="reclassify-severity"
            options={SeverityList.map((k) => ({ value: k, label: t(`cases.severity.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('cases.ops.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('cases.ops.reasonRequired') }]}
        >
          <Input.TextArea id="reclassify-reason" rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The staff picker: handlers in scope on the case's line, with their open-case load. */
export function AssignModal({
  caseId,
  open,
  busy,
  onClose,
  onAssign,
}: {
  readonly caseId: string;
  readonly open: boolean;
  readonly busy: boolean;
  readonly onClose: () => void;
  readonly onAssign: (userId: string) => void;
}) {
  const { t } = useTranslation();
  const list = useAsync(
    (signal) =>
      open ? api.get<Assignee[]>(`/cases/${caseId}/assignees`, undefined, signal) : Promise.resolve([]),
    [caseId, open],
  );
  const [picked, setPicked] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (open) setPicked(undefined);
  }, [open]);
  const people = list.data ?? [];
  const max = Math.max(1, ...people.map((p) => p.openCases));
  return (
    <Modal
      open={open}
      title={t('cases.ops.assignTitle')}
      onCancel={onClose}
      onOk={() => picked && onAssign(picked)}
      okText={t('cases.ops.assign')}
      okButtonProps={{ disabled: !picked, 'data-testid': 'assign-ok' } as { disabled: boolean }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('cases.ops.assignHint')}</Typography.Paragraph>
      {list.error !== undefined && <Alert type="error" showIcon title={describeError(list.error, t).title} />}
      <Select<string>
        id="assignee-picker"
        data-testid="assignee-picker"
        style={{ width: '100%' }}
        showSearch
        loading={list.loading}
        value={picked}
        onChange={setPicked}
        placeholder={t('cases.ops.assignee')}
        optionFilterProp="label"
        optionLabelProp="label"
        options={people.map((p) => ({
          value: p.userId,
          disabled: p.current,
          label: `${p.displayName} · ${p.orgUnitName}`,
          person: p,
        }))}
        optionRender={(o) => {
          const p = (o.data as { person: Assignee }).person;
          return (
            <div data-testid="assignee-option" data-username={p.username} style={{ display: 'flex', gap: 8 }}>
              <div style={{ flex: 1, minWidth: 0 }}>
                <div>
                  <strong>{p.displayName}</strong>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.orgUnitName}
                  </Typography.Text>
                  {p.current && (
                    <Tag color="blue" style={{ marginInlineStart: 6 }}>
                      {t('cases.ops.current')}
                    </Tag>
                  )}
                </div>
                <div style={{ fontSize: 12 }}>
                  {p.roles.map((r) => t(`role.${r}` as 'role.teller')).join('、')}
                </div>
              </div>
              <div style={{ width: 130, textAlign: 'right', fontSize: 12 }}>
                <div>
                  {t('cases.ops.open', { count: p.openCases })}
                  {p.breachedCases > 0 && (
                    <Tag color="red" style={{ marginInlineStart: 4, marginInlineEnd: 0 }}>
                      {t('cases.ops.breached', { count: p.breachedCases })}
                    </Tag>
                  )}
                </div>
                <Progress
                  percent={Math.round((p.openCases / max) * 100)}
                  showInfo={false}
                  size="small"
                  strokeColor={p.breachedCases > 0 ? '#cf1322' : '#b1272d'}
                />
              </div>
            </div>
          );
        }}
      />
    </Modal>
  );
}

function Verdict({ e, testId }: { readonly e: Economics; readonly testId: string }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={VERDICT_COLOUR[e.verdict]}
      data-testid={testId}
      data-verdict={e.verdict}
      style={{ fontSize: 13 }}
    >
      {t(`cases.ops.economics.verdict.${e.verdict}`)}
    </Tag>
  );
}

/** Compensation offered and claimed against the customer's value, with an advisory band. */
export function EconomicsCard({ caseId, version }: { readonly caseId: string; readonly version: number }) {
  const { t, i18n } = useTranslation();
  const data = useAsync(
    (signal) => api.get<CaseEconomics>(`/cases/${caseId}/economics`, undefined, signal),
    [caseId, version],
  );
  const e = data.data;
  const money = (m: Money | null | undefined) =>
    m ? formatMoney(m.amountMinor, m.currency, i18n.language) : t('common.none');
  const share = (x: Economics | null) =>
    x?.costToValue === null || x?.costToValue === undefined
      ? '—'
      : `${(x.costToValue * 100).toFixed(x.costToValue < 0.01 ? 2 : 1)}%`;
  return (
    <Card
      title={t('cases.ops.economics.title')}
      size="small"
      data-testid="case-economics"
      loading={data.loading}
    >
      {data.error !== undefined && <Alert type="error" showIcon title={describeError(data.error, t).title} />}
      {e && (
        <Space direction="vertical" style={{ width: '100%' }} size={12}>
          <Row gutter={12}>
            <Col span={8}>
              <Statistic title={t('cases.ops.economics.paid')} value={money(e.paid)} />
            </Col>
            <Col span={8}>
              <Statistic title={t('cases.ops.economics.pending')} value={money(e.pending)} />
            </Col>
            <Col span={8}>
              <Statistic title={t('cases.ops.economics.claimed')} value={money(e.claimed)} />
            </Col>
          </Row>
          {e.missing && (
            <Alert
              type="info"
              showIcon
              title={t(`cases.ops.economics.missing.${e.missing}`)}
              data-testid="economics-missing"
            />
          )}
          {e.customer?.value && e.offered && (
            <>
              {/* The card is a column beside the timeline: one pair per line until the screen is
                  wide enough (≥1600 px) for two, labels on one line so they never stack by the
                  character; a figure too long for its cell breaks instead of spilling. */}
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 1, md: 1, lg: 1, xl: 1, xxl: 2 }}
                bordered
                styles={{ label: { whiteSpace: 'nowrap' }, content: { overflowWrap: 'anywhere' } }}
              >
                <Descriptions.Item label={t('cases.ops.economics.customer')}>
                  <span className="sl-mono">{e.customer.customerNo}</span>{' '}
                  <Tag>{t(`tier.${e.customer.tier}`)}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('cases.ops.economics.aumBand')}>
                  {t(`cases.aumBand.${e.customer.value.aumBand}`)} (
                  {money({ amountMinor: e.customer.value.aumMinor, currency: e.customer.value.currency })})
                </Descriptions.Item>
                <Descriptions.Item label={t('cases.ops.economics.annualProfit')}>
                  {money({
                    amountMinor: e.customer.value.annualProfitMinor,
                    currency: e.customer.value.currency,
                  })}
                </Descriptions.Item>
                <Descriptions.Item label={t('cases.ops.economics.expectedYears')}>
                  {t('cases.ops.economics.years', { count: e.customer.value.expectedYears })}
                </Descriptions.Item>
                <Descriptions.Item label={t('cases.ops.economics.relationshipValue')}>
                  <strong data-testid="economics-value">{money(e.offered.relationshipValue)}</strong>
                </Descriptions.Item>
                <Descriptions.Item label={t('cases.ops.economics.replacementCost')}>
                  <span title={t('cases.ops.economics.replacementHint')}>
                    {money(e.offered.replacementCost)}
                  </span>
                </Descriptions.Item>
              </Descriptions>
              <Row gutter={12} align="middle">
                <Col span={12}>
                  <Typography.Text type="secondary">{t('cases.ops.economics.offered')}</Typography.Text>
                  <div>
                    <strong>{money(e.offered.cost)}</strong> · {t('cases.ops.economics.costToValue')}{' '}
                    {share(e.offered)}
                  </div>
                  <Verdict e={e.offered} testId="economics-verdict" />
                </Col>
                {e.atClaim && (
                  <Col span={12}>
                    <Typography.Text type="secondary">{t('cases.ops.economics.atClaim')}</Typography.Text>
                    <div>
                      <strong>{money(e.atClaim.cost)}</strong> · {t('cases.ops.economics.costToValue')}{' '}
                      {share(e.atClaim)}
                    </div>
                    <Verdict e={e.atClaim} testId="economics-verdict-claim" />
                  </Col>
                )}
              </Row>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('cases.ops.economics.advisory')}{' '}
                {t('cases.ops.economics.asOf', { date: e.customer.value.asOf })}
              </Typography.Text>
            </>
          )}
        </Space>
      )}
    </Card>
  );
}
