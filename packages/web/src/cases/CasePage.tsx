import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Rate,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import i18next from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useUser } from '../identity/session.tsx';
import { ApiError, api, describeError } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import { ZonedTime } from '../shell/ZonedTime.tsx';
import { AssignModal, EconomicsCard, ReclassifyModal } from './CaseOps.tsx';
import { clockText } from './clock-text.ts';
import {
  type CaseActionResult,
  type CaseActionType,
  type CaseDetail,
  type CaseListItem,
  type ClockView,
  type Compensation,
  formatMoney,
  labelOf,
  RootCauseList,
  riskAt,
  type TimelineEntry,
  yuanToFen,
} from './model.ts';
import { Countdown, RiskTag, useNow } from './ui.tsx';

/** Actions shown as buttons; approvals have their own buttons on each compensation. */
const BUTTON_ACTIONS: readonly CaseActionType[] = [
  'acknowledge',
  'start_investigation',
  'assign',
  'propose_resolution',
  'customer_accept',
  'customer_reject',
  'return_to_investigation',
  'close',
  'reopen',
  'request_review',
  'decide_review',
  'offer_compensation',
  'pause',
  'resume',
  'merge',
  'withdraw',
];

/** Actions that need nothing but a confirmation. */
const SIMPLE: readonly CaseActionType[] = ['acknowledge', 'start_investigation', 'customer_accept', 'resume'];

interface ActionValues {
  summary?: string;
  reason?: string;
  pauseReason?: 'waiting_for_customer' | 'external_appraisal';
  outcome?: 'upheld' | 'overturned';
  category?: (typeof RootCauseList)[number];
  text?: string;
  intoNumber?: string;
  amountYuan?: number;
}

function ActionForm({ type }: { readonly type: CaseActionType }) {
  const { t } = useTranslation();
  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  switch (type) {
    case 'propose_resolution':
      return (
        <Form.Item name="summary" label={t('cases.actionField.summary')} rules={required}>
          <Input.TextArea id="action-summary" rows={4} maxLength={5000} />
        </Form.Item>
      );
    case 'decide_review':
      return (
        <>
          <Form.Item name="outcome" label={t('cases.actionField.outcome')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'upheld', label: t('cases.actionField.upheld') },
                { value: 'overturned', label: t('cases.actionField.overturned') },
              ]}
            />
          </Form.Item>
          <Form.Item name="summary" label={t('cases.actionField.summary')} rules={required}>
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
        </>
      );
    case 'close':
      return (
        <>
          <Form.Item name="category" label={t('cases.case.rootCause')} rules={[{ required: true }]}>
            <Select
              id="action-root-cause"
              options={RootCauseList.map((k) => ({ value: k, label: t(`cases.rootCause.${k}`) }))}
            />
          </Form.Item>
          <Form.Item name="text" label={t('cases.case.rootCauseText')} rules={required}>
            <Input.TextArea id="action-root-cause-text" rows={3} maxLength={2000} />
          </Form.Item>
        </>
      );
    case 'pause':
      return (
        <Form.Item name="pauseReason" label={t('cases.actionField.pauseReason')} rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'waiting_for_customer', label: t('cases.pauseReason.waiting_for_customer') },
              { value: 'external_appraisal', label: t('cases.pauseReason.external_appraisal') },
            ]}
          />
        </Form.Item>
      );
    case 'merge':
      return (
        <Form.Item name="intoNumber" label={t('cases.actionField.intoCase')} rules={required}>
          <Input placeholder="CMP-2026-000001" />
        </Form.Item>
      );
    case 'offer_compensation':
      return (
        <>
          <Form.Item name="amountYuan" label={t('cases.actionField.amountYuan')} rules={[{ required: true }]}>
            <InputNumber<number> min={0.01} precision={2} prefix="¥" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="reason" label={t('cases.actionField.reason')} rules={required}>
            <Input maxLength={500} />
          </Form.Item>
        </>
      );
    case 'reopen':
    case 'request_review':
    case 'return_to_investigation':
      return (
        <Form.Item name="reason" label={t('cases.actionField.reason')} rules={required}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      );
    case 'customer_reject':
    case 'withdraw':
      return (
        <Form.Item name="reason" label={t('cases.actionField.reason')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      );
    default:
      return null;
  }
}

function ClocksTable({
  clocks,
  now,
  timeZone,
}: {
  readonly clocks: readonly ClockView[];
  readonly now: number;
  /** The case's unit's zone: deadlines are promises in the branch's local time. */
  readonly timeZone: string;
}) {
  const { t } = useTranslation();
  return (
    <Table<ClockView>
      data-testid="case-clocks"
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={[...clocks]}
      onRow={(c) => ({ 'data-role': c.role, className: `sl-clock-${c.role}` })}
      columns={[
        {
          title: t('cases.case.clock'),
          dataIndex: 'role',
          render: (v: string, c) => (
            <Space direction="vertical" size={0}>
              <span>{labelOf('clockRole', v)}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid={`clock-text-${c.role}`}>
                {clockText(c.role, c.period, t)}
              </Typography.Text>
            </Space>
          ),
        },
        {
          title: t('cases.case.dueAt'),
          dataIndex: 'dueAt',
          render: (v: string, c) => <ZonedTime iso={v} timeZone={timeZone} testId={`clock-due-${c.role}`} />,
        },
        {
          title: t('cases.case.warnAt'),
          dataIndex: 'warnAt',
          render: (v: string | null) => (v ? <ZonedTime iso={v} timeZone={timeZone} /> : t('common.none')),
        },
        {
          title: t('cases.inbox.countdown'),
          key: 'countdown',
          render: (_, c) => {
            if (c.state === 'stopped') {
              return (
                <Tag color={c.breached ? 'red' : 'green'}>
                  {t(c.breached ? 'cases.case.breached' : 'cases.case.stopped')}
                </Tag>
              );
            }
            const risk = c.breached ? 'breached' : riskAt(c.dueAt, c.warnAt, now);
            return <Countdown dueAt={c.dueAt} risk={risk} now={now} testId={`clock-${c.role}`} />;
          },
        },
        {
          title: t('cases.case.clockState'),
          dataIndex: 'state',
          render: (v: 'running' | 'paused' | 'stopped') => <Tag>{t(`cases.case.${v}`)}</Tag>,
        },
      ]}
    />
  );
}

function describeEntry(e: TimelineEntry, locale: string): string {
  const d = e.data;
  const parts: string[] = [];
  if (typeof d.clock === 'string') parts.push(labelOf('clockRole', d.clock));
  if (Array.isArray(d.levels) && e.type === 'case.escalated') {
    parts.push(d.levels.map((l) => labelOf('level', String(l))).join('、'));
  }
  if (typeof d.share === 'number') parts.push(`${Math.round(d.share * 100)}%`);
  const amount = d.amount as { amountMinor?: unknown; currency?: unknown } | undefined;
  if (amount && typeof amount.amountMinor === 'number' && typeof amount.currency === 'string') {
    parts.push(formatMoney(amount.amountMinor, amount.currency, locale));
  }
  for (const key of ['summary', 'reason', 'note', 'comment'] as const) {
    if (typeof d[key] === 'string' && d[key]) parts.push(String(d[key]));
  }
  const root = d.rootCause as { category?: unknown; text?: unknown } | undefined;
  if (root && typeof root.category === 'string') {
    parts.push(`${labelOf('rootCause', root.category)}：${String(root.text ?? '')}`);
  }
  if (typeof d.score === 'number') parts.push('★'.repeat(d.score));
  if (e.type === 'case.reclassified' && d.changes && typeof d.changes === 'object') {
    const fields = Object.keys(d.changes).map((k) => labelOf('ops.field', k));
    parts.unshift(i18next.t('cases.ops.changed', { fields: fields.join('、') }));
    const sev = (d.changes as Record<string, { from?: unknown; to?: unknown }>).severity;
    if (sev) parts.push(`${labelOf('severity', String(sev.from))} → ${labelOf('severity', String(sev.to))}`);
    const clocks = Array.isArray(d.clocks) ? (d.clocks as { role?: unknown }[]) : [];
    if (clocks.length > 0) {
      parts.push(
        i18next.t('cases.ops.clocksChanged', {
          clocks: clocks.map((c) => labelOf('clockRole', String(c.role))).join('、'),
        }),
      );
    }
  }
  if (typeof d.reason === 'string' && e.type === 'case.paused') {
    parts.push(labelOf('pauseReason', d.reason));
  }
  return parts.join(' · ');
}

function timelineColour(type: string): string {
  if (type === 'case.breached' || type === 'case.escalated') return 'red';
  if (type === 'case.warning') return 'orange';
  if (type === 'case.closed' || type.endsWith('_approved') || type.endsWith('_granted')) return 'green';
  return 'blue';
}

export function CasePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const now = useNow(15_000);
  const detail = useAsync((signal) => api.get<CaseDetail>(`/cases/${id}`, undefined, signal), [id]);
  const [acting, setActing] = useState<CaseActionType | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>(undefined);
  const [ratingToken, setRatingToken] = useState<string | undefined>(undefined);
  const [declining, setDeclining] = useState<Compensation | undefined>(undefined);
  const [declineReason, setDeclineReason] = useState('');
  const [form] = Form.useForm<ActionValues>();
  const [override, setOverride] = useState<CaseDetail | undefined>(undefined);
  const [reclassifying, setReclassifying] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const data = override && override.case.id === id ? override : detail.data;

  if (detail.error) {
    return (
      <Result
        status={detail.error instanceof ApiError && detail.error.status === 404 ? '404' : 'error'}
        title={t('cases.case.notFound')}
        subTitle={describeError(detail.error, t).title}
      />
    );
  }
  if (!data) return <Spin />;
  const c = data.case;
  const zone = data.orgUnitTimeZone;

  const run = async (body: Record<string, unknown>, path = `/cases/${id}/actions`) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.post<CaseActionResult>(path, body);
      setOverride(result);
      if (result.ratingToken) setRatingToken(result.ratingToken);
      message.success(t('cases.case.done'));
      setActing(undefined);
      setDeclining(undefined);
      form.resetFields();
      return true;
    } catch (e) {
      setError(describeError(e, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const submitAction = async (type: CaseActionType, v: ActionValues) => {
    switch (type) {
      case 'propose_resolution':
        return run({ type, summary: v.summary });
      case 'decide_review':
        return run({ type, outcome: v.outcome, summary: v.summary });
      case 'close':
        return run({ type, rootCause: { category: v.category, text: v.text } });
      case 'pause':
        return run({ type, reason: v.pauseReason });
      case 'assign':
        return run({ type, assigneeId: user.userId });
      case 'offer_compensation':
        return run({
          type,
          amount: { amountMinor: yuanToFen(v.amountYuan) ?? 0, currency: 'CNY' },
          reason: v.reason,
        });
      case 'merge': {
        const number = v.intoNumber?.trim() ?? '';
        const found = await api.get<{ items: CaseListItem[] }>('/cases', { q: number, pageSize: 5 });
        const target = found.items.find((x) => x.number.toUpperCase() === number.toUpperCase());
        if (!target) {
          form.setFields([{ name: 'intoNumber', errors: [t('cases.case.notFound')] }]);
          return false;
        }
        return run({ type, intoCaseId: target.id });
      }
      case 'reopen':
      case 'request_review':
      case 'return_to_investigation':
        return run({ type, reason: v.reason });
      case 'customer_reject':
      case 'withdraw':
        return run(v.reason?.trim() ? { type, reason: v.reason.trim() } : { type });
      default:
        return run({ type });
    }
  };

  const actions = BUTTON_ACTIONS.filter((a) => data.allowedActions.includes(a)).filter(
    (a) =>
      (a !== 'pause' || !c.pauses.some((p) => p.to === null)) &&
      (a !== 'resume' || c.pauses.some((p) => p.to === null)) &&
      (a !== 'reopen' || user.can('case.supervise')) &&
      (a !== 'decide_review' || user.can('case.supervise')),
  );
  const customer =
    c.customer.kind === 'walk_in'
      ? t('cases.case.walkIn', { name: c.customer.name, phone: c.customer.phone ?? '' })
      : c.customer.kind === 'linked'
        ? t('cases.case.linked')
        : t('cases.case.staff');
  const cls = c.complaint?.classification;
  const canReclassify =
    c.complaint !== null && user.can('case.handle') && c.state !== 'merged' && c.state !== 'withdrawn';
  const rateUrl = ratingToken ? `${window.location.origin}/rate/${ratingToken}` : undefined;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span className="sl-mono" data-testid="case-number">
              {c.number}
            </span>
            <Tag color="blue" data-testid="case-state" data-state={c.state}>
              {t(`cases.state.${c.state}`)}
            </Tag>
            <span data-testid="case-risk">
              <RiskTag risk={data.risk} />
            </span>
            <Typography.Text>{c.subject}</Typography.Text>
          </Space>
        }
      >
        {rateUrl && (
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('cases.case.ratingLink')}
            description={
              <Typography.Paragraph copyable={{ text: rateUrl }} style={{ marginBottom: 0 }}>
                <a href={rateUrl} data-testid="rating-link" target="_blank" rel="noreferrer">
                  {rateUrl}
                </a>
              </Typography.Paragraph>
            }
          />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            closable
            onClose={() => setError(undefined)}
            title={error.title}
            description={error.detail}
            style={{ marginBottom: 16 }}
            data-testid="case-error"
          />
        )}
        <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered>
          <Descriptions.Item label={t('cases.case.customer')}>{customer}</Descriptions.Item>
          <Descriptions.Item label={t('cases.case.unit')}>{data.orgUnitName}</Descriptions.Item>
          <Descriptions.Item label={t('cases.case.channel')}>
            {t(`cases.channel.${c.channel}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.receivedAt')}>
            <ZonedTime iso={c.receivedAt} timeZone={zone} testId="case-received-at" />
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.severity')}>
            {c.complaint ? t(`cases.severity.${c.complaint.severity}`) : t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.business')}>
            {c.complaint
              ? [c.complaint.business, c.complaint.product].filter(Boolean).join(' / ')
              : t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.classification')} span={2}>
            {cls
              ? `${t(`cases.jrtChannel.${cls.channel}`)} · ${t(`cases.jrtBusiness.${cls.businessType}`)} · ${t(`cases.jrtCause.${cls.cause}`)}${cls.otherText ? ` (${cls.otherText})` : ''}`
              : t('cases.case.unclassified')}
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.claims')}>
            {[
              c.complaint?.claims.compensation
                ? formatMoney(
                    c.complaint.claims.compensation.amountMinor,
                    c.complaint.claims.compensation.currency,
                    i18n.language,
                  )
                : '',
              ...(c.complaint?.claims.remedies ?? []).map((r) => labelOf('remedy', r)),
              ...(c.complaint?.claims.nonProperty ?? []).map((r) => labelOf('nonProperty', r)),
            ]
              .filter(Boolean)
              .join('、') || t('common.none')}
          </Descriptions.Item>
          <Descriptions.Item label={t('cases.case.content')} span={3}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
              {c.content}
            </Typography.Paragraph>
          </Descriptions.Item>
          {c.resolution && (
            <Descriptions.Item label={t('cases.case.resolution')} span={3}>
              {c.resolution.summary}
            </Descriptions.Item>
          )}
          {c.rootCause && (
            <Descriptions.Item label={t('cases.case.rootCause')} span={3}>
              {t(`cases.rootCause.${c.rootCause.category}`)}：{c.rootCause.text}
            </Descriptions.Item>
          )}
          {c.review && (
            <Descriptions.Item label={t('cases.case.review')} span={3}>
              {c.review.reason}
              {c.review.outcome
                ? ` → ${t(`cases.actionField.${c.review.outcome}`)}：${c.review.summary ?? ''}`
                : ''}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('cases.case.rating')} span={3}>
            {data.rating ? (
              <Space data-testid="case-rating">
                <Rate disabled value={data.rating.score} />
                <span>{data.rating.comment}</span>
              </Space>
            ) : (
              t('cases.case.notRated')
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      <Card title={t('cases.case.actions')} size="small">
        {actions.length === 0 && !canReclassify ? (
          <Typography.Text type="secondary">{t('cases.case.noActions')}</Typography.Text>
        ) : (
          <Space wrap data-testid="case-actions">
            {actions.map((a) => (
              <Button
                key={a}
                data-action={a}
                type={a === 'close' || a === 'acknowledge' ? 'primary' : 'default'}
                danger={a === 'withdraw'}
                loading={busy && acting === a}
                onClick={() => {
                  if (a === 'assign') {
                    setAssigning(true);
                  } else if (SIMPLE.includes(a)) {
                    setActing(a);
                    void submitAction(a, {});
                  } else {
                    form.resetFields();
                    setActing(a);
                  }
                }}
              >
                {t(`cases.action.${a}`)}
              </Button>
            ))}
            {canReclassify && (
              <Button data-action="reclassify" onClick={() => setReclassifying(true)}>
                {t('cases.ops.reclassify')}
              </Button>
            )}
          </Space>
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('cases.case.clocks')} size="small">
              <ClocksTable clocks={data.clocks} now={now} timeZone={zone} />
            </Card>
            <Card title={t('cases.case.compensations')} size="small">
              {c.compensations.length === 0 ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : (
                <Table<Compensation>
                  data-testid="case-compensations"
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={[...c.compensations]}
                  onRow={(x) => ({ 'data-status': x.status, className: `sl-compensation-${x.status}` })}
                  columns={[
                    {
                      title: t('cases.case.amount'),
                      dataIndex: 'amount',
                      render: (_, x) => formatMoney(x.amount.amountMinor, x.amount.currency, i18n.language),
                    },
                    { title: t('cases.case.reason'), dataIndex: 'reason' },
                    {
                      title: t('common.status'),
                      dataIndex: 'status',
                      render: (v: Compensation['status']) => (
                        <Tag color={v === 'pending_approval' ? 'orange' : v === 'declined' ? 'red' : 'green'}>
                          {t(`cases.compStatus.${v}`)}
                        </Tag>
                      ),
                    },
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_, x) =>
                        x.status === 'pending_approval' &&
                        user.can('case.approve') &&
                        x.requestedBy !== user.userId ? (
                          <Space>
                            <Button
                              size="small"
                              type="primary"
                              data-testid="approve-compensation"
                              loading={busy}
                              onClick={() =>
                                void run({}, `/cases/${id}/compensations/${encodeURIComponent(x.id)}/approve`)
                              }
                            >
                              {t('cases.case.approve')}
                            </Button>
                            <Button size="small" danger onClick={() => setDeclining(x)}>
                              {t('cases.case.decline')}
                            </Button>
                          </Space>
                        ) : null,
                    },
                  ]}
                />
              )}
            </Card>
            {c.type !== 'internal_request' && <EconomicsCard caseId={c.id} version={c.version} />}
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('cases.case.timeline')} size="small">
            <Timeline
              data-testid="case-timeline"
              items={data.timeline.map((e) => ({
                key: e.id,
                color: timelineColour(e.type),
                content: (
                  <div data-event={e.type}>
                    <Typography.Text strong>{labelOf('event', e.type)}</Typography.Text>{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      <ZonedTime iso={e.at} timeZone={zone} />
                    </Typography.Text>
                    <div>{describeEntry(e, i18n.language)}</div>
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
      </Row>

      <Modal
        open={acting !== undefined && !SIMPLE.includes(acting) && acting !== 'assign'}
        title={acting ? t(`cases.action.${acting}`) : ''}
        onCancel={() => setActing(undefined)}
        confirmLoading={busy}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'action-ok' } as Record<string, string>}
      >
        <Form<ActionValues>
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => {
            if (acting) void submitAction(acting, v);
          }}
        >
          {acting && <ActionForm type={acting} />}
        </Form>
      </Modal>
      <ReclassifyModal
        detail={data}
        open={reclassifying}
        onClose={() => setReclassifying(false)}
        onDone={(next) => {
          setOverride(next);
          setReclassifying(false);
          message.success(t('cases.case.done'));
        }}
      />
      <AssignModal
        caseId={c.id}
        open={assigning}
        busy={busy}
        onClose={() => setAssigning(false)}
        onAssign={(assigneeId) => {
          setActing('assign');
          void run({ type: 'assign', assigneeId }).then((ok) => {
            if (ok) setAssigning(false);
          });
        }}
      />
      <Modal
        open={declining !== undefined}
        title={t('cases.case.decline')}
        onCancel={() => setDeclining(undefined)}
        confirmLoading={busy}
        okButtonProps={{ disabled: !declineReason.trim() }}
        onOk={() => {
          if (declining) {
            void run(
              { reason: declineReason.trim() },
              `/cases/${id}/compensations/${encodeURIComponent(declining.id)}/decline`,
            );
          }
        }}
      >
        <Input.TextArea
          rows={3}
          placeholder={t('cases.case.declineReason')}
          value={declineReason}
          onChange={(e) => setDeclineReason(e.target.value)}
        />
      </Modal>
    </Space>
  );
}
