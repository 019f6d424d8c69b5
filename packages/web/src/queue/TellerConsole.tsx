import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUser } from '../identity/session.tsx';
import { api, describeError } from '../shell/api.ts';
import {
  type Counter,
  type FinishOutcome,
  FinishOutcomeList,
  formatClock,
  formatDuration,
  isCounterState,
  isTicketStatus,
  type LobbyOverview,
  serviceName,
  type TicketDetail,
} from './api.ts';
import { useQueueBranch } from './branch.tsx';

const REFRESH_MS = 5_000;
const COUNTER_KEY = 'serviceloop.queue.counter';
type Dialog = 'pause' | 'finish' | 'transfer' | 'walkUp' | undefined;

function waitedSeconds(t: TicketDetail, now: number): number {
  return Math.max(0, (now - new Date(t.arrivedAt).getTime()) / 1000);
}

/** Teller console: one counter, its current ticket, every action (F1–F4), its waiting line, own figures. */
export function TellerConsole() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { message, modal } = App.useApp();
  const user = useUser();
  const { branchId, picker } = useQueueBranch();
  const [overview, setOverview] = useState<LobbyOverview | undefined>(undefined);
  const [waiting, setWaiting] = useState<readonly TicketDetail[]>([]);
  const [done, setDone] = useState<readonly TicketDetail[]>([]);
  const [current, setCurrent] = useState<TicketDetail | undefined>(undefined);
  const [counterId, setCounterId] = useState<string | undefined>(() => {
    try {
      return window.localStorage.getItem(COUNTER_KEY) ?? undefined;
    } catch {
      return undefined;
    }
  });
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const [version, setVersion] = useState(0);
  const [form] = Form.useForm();

  const counters = overview?.counters ?? [];
  const counter =
    counters.find((c) => c.id === counterId) ??
    counters.find((c) => c.staffId === user.userId) ??
    counters[0];

  const load = useCallback(async () => {
    if (!branchId) return;
    const [o, w, d] = await Promise.all([
      api.get<LobbyOverview>(`/branches/${branchId}/queue`),
      api.get<TicketDetail[]>(`/branches/${branchId}/tickets`, { status: 'waiting' }),
      api.get<TicketDetail[]>(`/branches/${branchId}/tickets`, { status: 'served,no_show,called,serving' }),
    ]);
    setOverview(o);
    setWaiting(w);
    setDone(d);
    setNow(Date.now());
    setVersion((v) => v + 1);
  }, [branchId]);

  useEffect(() => {
    void load().catch(() => undefined);
    const timer = window.setInterval(() => void load().catch(() => undefined), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const currentId = counter?.currentTicketId ?? undefined;
  // Refetched after every load: an action changes the ticket (status, recalls) but not the counter's link.
  // biome-ignore lint/correctness/useExhaustiveDependencies: version marks a reload
  useEffect(() => {
    if (!branchId || !currentId) {
      setCurrent(undefined);
      return;
    }
    let alive = true;
    api
      .get<TicketDetail>(`/branches/${branchId}/tickets/${currentId}`)
      .then((ticket) => alive && setCurrent(ticket))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [branchId, currentId, version]);

  const run = async (label: string, action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(label);
    try {
      await action();
      await load();
    } catch (error) {
      const d = describeError(error, t);
      void message.error(d.detail ? `${d.title} — ${d.detail}` : d.title);
    } finally {
      setBusy(undefined);
    }
  };

  const base = branchId && counter ? `/branches/${branchId}/counters/${counter.id}` : '';
  const state = counter && isCounterState(counter.state) ? counter.state : 'closed';
  const isOpen = state === 'open';
  const status = current?.status;
  const can = {
    callNext: isOpen && !current,
    recall: status === 'called',
    noShow: status === 'called',
    start: status === 'called',
    finish: status === 'serving',
    transfer: status === 'called' || status === 'serving',
    walkUp: isOpen && !current,
  };

  const ticketPath = current ? `/branches/${branchId}/tickets/${current.id}` : '';
  const actions = {
    callNext: () =>
      run('callNext', async () => {
        const r = await api.post<{ ticket: TicketDetail | null }>(`${base}/call-next`);
        if (r.ticket) void message.success(t('queue.teller.called', { number: r.ticket.number }));
        else void message.info(t('queue.teller.nobodyWaiting'));
      }),
    recall: () => run('recall', () => api.post(`${ticketPath}/recall`)),
    noShow: () => run('noShow', () => api.post(`${ticketPath}/no-show`)),
    start: () => run('start', () => api.post(`${ticketPath}/start`)),
  };

  // Keyboard: F1 call next, F2 recall, F3 start, F4 finish (ignored while a dialog is open).
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (dialog) return;
    const handlers: Record<string, () => void> = {
      f1: () => can.callNext && void actions.callNext(),
      f2: () => can.recall && void actions.recall(),
      f3: () => can.start && void actions.start(),
      f4: () => can.finish && openFinish(),
    };
    const handler = handlers[e.key.toLowerCase()];
    if (handler) {
      e.preventDefault();
      handler();
    }
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const openFinish = () => {
    form.setFieldsValue({ outcome: 'completed', note: '' });
    setDialog('finish');
  };

  const services = overview?.services ?? [];
  const svcName = (code: string) =>
    serviceName(
      services.find((s) => s.code === code),
      locale,
      code,
    );
  const mine = counter
    ? waiting.filter(
        (w) =>
          counter.skills.includes(w.serviceCode) &&
          (w.targetCounterId === null || w.targetCounterId === counter.id),
      )
    : [];
  const servedByMe = done.filter((d) => d.status === 'served' && d.staffId === user.userId);
  const serviceTimes = servedByMe.flatMap((d) =>
    d.startedAt && d.endedAt
      ? [(new Date(d.endedAt).getTime() - new Date(d.startedAt).getTime()) / 1000]
      : [],
  );
  const meanService =
    serviceTimes.length > 0 ? serviceTimes.reduce((a, b) => a + b, 0) / serviceTimes.length : null;
  const noShows = counter
    ? done.filter((d) => d.status === 'no_show' && d.counterId === counter.id).length
    : 0;

  if (!branchId) return <Card title={t('queue.teller.title')}>{t('queue.noBranch')}</Card>;

  const shortcut = (label: string, key: string) => (
    <>
      {label} <kbd style={kbd}>{key}</kbd>
    </>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('queue.teller.title')}
        extra={
          <Space wrap>
            {picker}
            <Select
              aria-label={t('queue.teller.chooseCounter')}
              value={counter?.id}
              onChange={(id: string) => {
                setCounterId(id);
                try {
                  window.localStorage.setItem(COUNTER_KEY, id);
                } catch {
                  // private mode
                }
              }}
              options={counters.map((c) => ({
                value: c.id,
                label: `${t('queue.counterN', { n: c.number })} · ${isCounterState(c.state) ? t(`queue.counterState.${c.state}`) : c.state}`,
              }))}
              style={{ width: 200 }}
              data-testid="teller-counter"
            />
          </Space>
        }
      >
        {counter && (
          <Space wrap size={12}>
            <Tag
              color={state === 'open' ? 'green' : state === 'paused' ? 'orange' : 'default'}
              data-testid="counter-state"
            >
              {t(`queue.counterState.${state}`)}
              {counter.pauseReason ? ` · ${counter.pauseReason}` : ''}
            </Tag>
            {counter.staffId && counter.staffId !== user.userId && (
              <Typography.Text type="warning">{t('queue.teller.notMine')}</Typography.Text>
            )}
            <Typography.Text type="secondary">
              {t('queue.lobby.skills')}: {counter.skills.map(svcName).join(' › ')}
            </Typography.Text>
            {state !== 'open' && (
              <Button
                type="primary"
                loading={busy === 'open'}
                onClick={() => void run('open', () => api.post<Counter>(`${base}/open`))}
                data-testid="counter-open"
              >
                {state === 'paused' ? t('queue.teller.resume') : t('queue.teller.open')}
              </Button>
            )}
            {state === 'open' && (
              <Button
                onClick={() => {
                  form.setFieldsValue({ reason: t('queue.teller.pauseReasons.break') });
                  setDialog('pause');
                }}
                data-testid="counter-pause"
              >
                {t('queue.teller.pause')}
              </Button>
            )}
            {state !== 'closed' && (
              <Button
                danger
                disabled={Boolean(current)}
                loading={busy === 'close'}
                onClick={() => void run('close', () => api.post<Counter>(`${base}/close`))}
                data-testid="counter-close"
              >
                {t('queue.teller.close')}
              </Button>
            )}
          </Space>
        )}
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('queue.teller.current')} data-testid="teller-current">
            {current ? (
              <div style={{ marginBottom: 16 }}>
                <Space align="baseline" size={16} wrap>
                  <span
                    style={{ fontSize: 56, fontWeight: 700, color: '#8f1d22' }}
                    data-testid="current-number"
                  >
                    {current.number}
                  </span>
                  <Tag color="blue" data-testid="current-status">
                    {isTicketStatus(current.status)
                      ? t(`queue.ticketStatus.${current.status}`)
                      : current.status}
                  </Tag>
                  <span>{svcName(current.serviceCode)}</span>
                  {current.recallCount > 0 && (
                    <Tag>{t('queue.teller.recalls', { n: current.recallCount })}</Tag>
                  )}
                  {current.assistance && <Tag color="gold">{current.assistance}</Tag>}
                  <Tag>
                    {t('queue.teller.priorityClass')}: {current.priorityClass}
                  </Tag>
                </Space>
                <div style={{ color: '#666' }}>
                  {t('queue.teller.arrived')} {formatClock(current.arrivedAt, locale)} ·{' '}
                  {t('queue.teller.waited')}{' '}
                  {formatDuration(
                    ((current.calledAt ? new Date(current.calledAt).getTime() : now) -
                      new Date(current.arrivedAt).getTime()) /
                      1000,
                    t,
                  )}
                </div>
                {current.triageNote && (
                  <div>
                    {t('queue.teller.triage')}: {current.triageNote}
                  </div>
                )}
              </div>
            ) : (
              <Empty description={t('queue.teller.none')} style={{ marginBottom: 16 }} />
            )}
            <Space wrap size={[8, 8]}>
              <Button
                type="primary"
                size="large"
                disabled={!can.callNext}
                loading={busy === 'callNext'}
                onClick={() => void actions.callNext()}
                data-testid="action-call-next"
              >
                {shortcut(t('queue.teller.callNext'), 'F1')}
              </Button>
              <Button
                size="large"
                disabled={!can.recall}
                loading={busy === 'recall'}
                onClick={() => void actions.recall()}
                data-testid="action-recall"
              >
                {shortcut(t('queue.teller.recall'), 'F2')}
              </Button>
              <Button
                size="large"
                disabled={!can.start}
                loading={busy === 'start'}
                onClick={() => void actions.start()}
                data-testid="action-start"
              >
                {shortcut(t('queue.teller.start'), 'F3')}
              </Button>
              <Button size="large" disabled={!can.finish} onClick={openFinish} data-testid="action-finish">
                {shortcut(t('queue.teller.finish'), 'F4')}
              </Button>
              <Button
                size="large"
                danger
                disabled={!can.noShow}
                loading={busy === 'noShow'}
                onClick={() => void actions.noShow()}
                data-testid="action-no-show"
              >
                {t('queue.teller.noShow')}
              </Button>
              <Button
                size="large"
                disabled={!can.transfer}
                onClick={() => {
                  form.resetFields();
                  setDialog('transfer');
                }}
                data-testid="action-transfer"
              >
                {t('queue.teller.transfer')}
              </Button>
              <Button
                size="large"
                disabled={!can.walkUp}
                onClick={() => {
                  form.setFieldsValue({ serviceCode: counter?.skills[0] });
                  setDialog('walkUp');
                }}
                data-testid="action-walk-up"
              >
                {t('queue.teller.walkUp')}
              </Button>
            </Space>
            <div style={{ marginTop: 12, color: '#888', fontSize: 12 }}>{t('queue.teller.shortcuts')}</div>
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('queue.teller.myFigures')} data-testid="teller-figures">
            <Row gutter={16}>
              <Col span={8}>
                <Statistic
                  title={t('queue.teller.served')}
                  value={servedByMe.length}
                  data-testid="figure-served"
                />
              </Col>
              <Col span={8}>
                <Statistic title={t('queue.teller.noShows')} value={noShows} />
              </Col>
              <Col span={8}>
                <Statistic title={t('queue.teller.meanService')} value={formatDuration(meanService, t)} />
              </Col>
            </Row>
          </Card>
        </Col>
      </Row>
      <Card title={`${t('queue.teller.queue')} (${mine.length})`}>
        <Table<TicketDetail>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={[...mine]}
          data-testid="teller-waiting"
          columns={[
            {
              title: t('queue.display.number'),
              dataIndex: 'number',
              width: 100,
              render: (v: string) => <strong>{v}</strong>,
            },
            { title: t('queue.service'), dataIndex: 'serviceCode', render: (v: string) => svcName(v) },
            { title: t('queue.teller.priorityClass'), dataIndex: 'priorityClass', width: 100 },
            {
              title: t('queue.teller.arrived'),
              dataIndex: 'arrivedAt',
              width: 110,
              render: (v: string) => formatClock(v, locale),
            },
            {
              title: t('queue.teller.waited'),
              width: 120,
              render: (_, w) => formatDuration(waitedSeconds(w, now), t),
            },
            {
              title: t('queue.teller.triage'),
              dataIndex: 'triageNote',
              render: (v: string | null) => v ?? '',
            },
            ...(user.can('queue.manage')
              ? [
                  {
                    title: t('common.actions'),
                    width: 100,
                    render: (_: unknown, w: TicketDetail) => (
                      <Button
                        size="small"
                        danger
                        onClick={() =>
                          modal.confirm({
                            title: t('queue.lobby.abandonConfirm'),
                            onOk: () =>
                              run('abandon', () => api.post(`/branches/${branchId}/tickets/${w.id}/abandon`)),
                          })
                        }
                      >
                        {t('queue.teller.abandon')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={dialog !== undefined}
        destroyOnHidden
        title={
          dialog === 'pause'
            ? t('queue.teller.pauseReason')
            : dialog === 'finish'
              ? t('queue.teller.finish')
              : dialog === 'transfer'
                ? t('queue.teller.transfer')
                : t('queue.teller.walkUp')
        }
        onCancel={() => setDialog(undefined)}
        okButtonProps={{ 'data-testid': 'dialog-ok' } as Record<string, string>}
        onOk={() =>
          form.validateFields().then((v: Record<string, string | undefined>) => {
            const which = dialog;
            setDialog(undefined);
            if (which === 'pause') return run('pause', () => api.post(`${base}/pause`, { reason: v.reason }));
            if (which === 'finish')
              return run('finish', () =>
                api.post(`${ticketPath}/finish`, {
                  outcome: (v.outcome ?? 'completed') as FinishOutcome,
                  ...(v.note?.trim() ? { note: v.note.trim() } : {}),
                }),
              );
            if (which === 'transfer')
              return run('transfer', () =>
                api.post(`${ticketPath}/transfer`, {
                  ...(v.serviceCode ? { serviceCode: v.serviceCode } : {}),
                  ...(v.counterId ? { counterId: v.counterId } : {}),
                }),
              );
            if (which === 'walkUp')
              return run('walkUp', () => api.post(`${base}/walk-up`, { serviceCode: v.serviceCode }));
            return undefined;
          })
        }
      >
        <Form form={form} layout="vertical" preserve={false}>
          {dialog === 'pause' && (
            <Form.Item
              name="reason"
              label={t('common.reason')}
              initialValue={t('queue.teller.pauseReasons.break')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                options={(['break', 'meeting', 'system', 'other'] as const).map((k) => ({
                  value: t(`queue.teller.pauseReasons.${k}`),
                  label: t(`queue.teller.pauseReasons.${k}`),
                }))}
              />
            </Form.Item>
          )}
          {dialog === 'finish' && (
            <>
              <Form.Item name="outcome" label={t('queue.teller.outcome')} initialValue="completed">
                <Select
                  options={FinishOutcomeList.map((o) => ({
                    value: o,
                    label: t(`queue.teller.outcomes.${o}`),
                  }))}
                  data-testid="finish-outcome"
                />
              </Form.Item>
              <Form.Item name="note" label={t('queue.teller.note')}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          )}
          {dialog === 'transfer' && (
            <>
              <Form.Item name="serviceCode" label={t('queue.teller.transferTo')}>
                <Select
                  allowClear
                  options={services
                    .filter((s) => s.active)
                    .map((s) => ({ value: s.code, label: serviceName(s, locale) }))}
                />
              </Form.Item>
              <Form.Item name="counterId" label={t('queue.teller.transferCounter')}>
                <Select
                  allowClear
                  options={counters
                    .filter((c) => c.id !== counter?.id)
                    .map((c) => ({ value: c.id, label: t('queue.counterN', { n: c.number }) }))}
                />
              </Form.Item>
            </>
          )}
          {dialog === 'walkUp' && (
            <Form.Item
              name="serviceCode"
              label={t('queue.service')}
              initialValue={counter?.skills[0]}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select
                options={services
                  .filter((s) => s.active)
                  .map((s) => ({ value: s.code, label: serviceName(s, locale) }))}
              />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

const kbd = {
  border: '1px solid currentColor',
  borderRadius: 3,
  padding: '0 4px',
  fontSize: 11,
  marginLeft: 4,
  opacity: 0.75,
};
