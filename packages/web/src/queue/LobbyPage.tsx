import { App, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../shell/api.ts';
import { EChart, type EChartOption } from '../shell/EChart.tsx';
import {
  apiPut,
  formatClock,
  formatDuration,
  isCounterState,
  isTicketStatus,
  type LobbyCounter,
  type LobbyOverview,
  type LobbyService,
  serviceName,
  type TicketDetail,
} from './api.ts';
import { useQueueBranch } from './branch.tsx';
import { estimateMinutes, isLearned, WaitEstimateView } from './WaitEstimate.tsx';

const REFRESH_MS = 5_000;

/** Lobby manager: waiting per service, longest and predicted waits, counters, skills, triage notes. */
export function LobbyPage() {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { message, modal } = App.useApp();
  const { branchId, picker } = useQueueBranch();
  const [overview, setOverview] = useState<LobbyOverview | undefined>(undefined);
  const [tickets, setTickets] = useState<readonly TicketDetail[]>([]);
  const [skillsOf, setSkillsOf] = useState<LobbyCounter | undefined>(undefined);
  const [skills, setSkills] = useState<string[]>([]);
  const [triageOf, setTriageOf] = useState<TicketDetail | undefined>(undefined);
  const [note, setNote] = useState('');
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(async () => {
    if (!branchId) return;
    const [o, w] = await Promise.all([
      api.get<LobbyOverview>(`/branches/${branchId}/queue`),
      api.get<TicketDetail[]>(`/branches/${branchId}/tickets`, { status: 'waiting,called,serving' }),
    ]);
    setOverview(o);
    setTickets(w);
    setNow(Date.now());
  }, [branchId]);

  useEffect(() => {
    void load().catch(() => undefined);
    const timer = window.setInterval(() => void load().catch(() => undefined), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      void message.success(t('common.saved'));
      await load();
      return true;
    } catch (error) {
      const d = describeError(error, t);
      void message.error(d.detail ? `${d.title} — ${d.detail}` : d.title);
      return false;
    }
  };

  if (!branchId) return <Card title={t('queue.lobby.title')}>{t('queue.noBranch')}</Card>;
  const services = overview?.services ?? [];
  const svcName = (code: string) =>
    serviceName(
      services.find((s) => s.code === code),
      locale,
      code,
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('queue.lobby.title')}
        extra={
          <Space wrap>
            {picker}
            <Button href={`/kiosk/${branchId}`} target="_blank">
              {t('queue.lobby.openKiosk')}
            </Button>
            <Button href={`/display/${branchId}`} target="_blank">
              {t('queue.lobby.openDisplay')}
            </Button>
          </Space>
        }
      >
        <Space size={24} wrap style={{ marginBottom: 12 }}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {overview?.branchName}
          </Typography.Text>
          <span data-testid="lobby-waiting-total">
            {t('queue.lobby.waitingTotal')}:{' '}
            <strong style={{ fontSize: 20 }}>{overview?.waitingTotal ?? 0}</strong>
          </span>
          <Typography.Text type="secondary">
            {overview ? t('queue.lobby.refreshedAt', { time: formatClock(overview.at, locale) }) : ''}
          </Typography.Text>
        </Space>
        <Table<LobbyService>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={[...services]}
          data-testid="lobby-services"
          columns={[
            {
              title: t('queue.service'),
              dataIndex: 'code',
              render: (_, s) => (
                <span>
                  <Tag>{s.prefix}</Tag>
                  {serviceName(s, locale)}
                </span>
              ),
            },
            {
              title: t('queue.lobby.waiting'),
              dataIndex: 'waiting',
              width: 90,
              render: (v: number) => <strong>{v}</strong>,
            },
            {
              title: t('queue.lobby.longest'),
              dataIndex: 'longestWaitSeconds',
              width: 140,
              render: (v: number, s) => (
                <span style={{ color: s.waiting > 0 && v > s.targetWaitSeconds ? '#cf1322' : undefined }}>
                  {s.waiting > 0 ? formatDuration(v, t) : t('common.none')}
                </span>
              ),
            },
            {
              title: t('queue.lobby.target'),
              dataIndex: 'targetWaitSeconds',
              width: 120,
              render: (v: number) => formatDuration(v, t),
            },
            {
              title: t('queue.lobby.predicted'),
              width: 300,
              render: (_, s) => (
                <Space size={6} wrap>
                  <WaitEstimateView estimate={s.estimate} testId={`lobby-estimate-${s.code}`} />
                  <Tag
                    color={isLearned(s.estimate) ? 'blue' : 'default'}
                    title={
                      isLearned(s.estimate)
                        ? t('queue.prediction.basisLearned')
                        : t('queue.prediction.basisFormula')
                    }
                  >
                    {isLearned(s.estimate)
                      ? t('queue.prediction.methodLearned')
                      : t('queue.prediction.methodFormula')}
                  </Tag>
                </Space>
              ),
            },
          ]}
        />
        {services.length > 0 && <PredictionChart services={services} locale={locale} />}
      </Card>
      <Card title={t('queue.lobby.counters')}>
        <Table<LobbyCounter>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={[...(overview?.counters ?? [])]}
          data-testid="lobby-counters"
          columns={[
            {
              title: t('queue.counter'),
              dataIndex: 'number',
              width: 110,
              render: (n: number) => t('queue.counterN', { n }),
            },
            {
              title: t('common.status'),
              dataIndex: 'state',
              width: 160,
              render: (v: string, c) => (
                <Tag color={v === 'open' ? 'green' : v === 'paused' ? 'orange' : 'default'}>
                  {isCounterState(v) ? t(`queue.counterState.${v}`) : v}
                  {c.pauseReason ? ` · ${c.pauseReason}` : ''}
                </Tag>
              ),
            },
            {
              title: t('queue.lobby.current'),
              width: 160,
              render: (_, c) =>
                c.currentNumber ? (
                  <span>
                    <strong>{c.currentNumber}</strong>{' '}
                    {c.currentStatus && isTicketStatus(c.currentStatus)
                      ? t(`queue.ticketStatus.${c.currentStatus}`)
                      : ''}
                  </span>
                ) : (
                  t('common.none')
                ),
            },
            {
              title: t('queue.lobby.skills'),
              dataIndex: 'skills',
              render: (v: readonly string[]) => v.map((code) => <Tag key={code}>{svcName(code)}</Tag>),
            },
            {
              title: t('common.actions'),
              width: 120,
              render: (_, c) => (
                <Button
                  size="small"
                  onClick={() => {
                    setSkills([...c.skills]);
                    setSkillsOf(c);
                  }}
                  data-testid={`edit-skills-${c.number}`}
                >
                  {t('queue.lobby.editSkills')}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('queue.lobby.tickets')}>
        <Table<TicketDetail>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={[...tickets]}
          data-testid="lobby-tickets"
          columns={[
            {
              title: t('queue.display.number'),
              dataIndex: 'number',
              width: 90,
              render: (v: string) => <strong>{v}</strong>,
            },
            {
              title: t('queue.service'),
              dataIndex: 'serviceCode',
              width: 160,
              render: (v: string) => svcName(v),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              width: 100,
              render: (v: string) => (isTicketStatus(v) ? t(`queue.ticketStatus.${v}`) : v),
            },
            {
              title: t('queue.teller.waited'),
              width: 120,
              render: (_, w) => formatDuration((now - new Date(w.arrivedAt).getTime()) / 1000, t),
            },
            {
              title: t('queue.lobby.triageNote'),
              dataIndex: 'triageNote',
              render: (v: string | null) => v ?? '',
            },
            {
              title: t('common.actions'),
              width: 160,
              render: (_, w) => (
                <Space size={4}>
                  <Button
                    size="small"
                    onClick={() => {
                      setNote(w.triageNote ?? '');
                      setTriageOf(w);
                    }}
                    data-testid={`triage-${w.number}`}
                  >
                    {t('queue.lobby.editTriage')}
                  </Button>
                  {w.status === 'waiting' && (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        modal.confirm({
                          title: t('queue.lobby.abandonConfirm'),
                          onOk: () => act(() => api.post(`/branches/${branchId}/tickets/${w.id}/abandon`)),
                        })
                      }
                    >
                      {t('queue.lobby.abandon')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={skillsOf !== undefined}
        title={
          skillsOf ? `${t('queue.lobby.editSkills')} · ${t('queue.counterN', { n: skillsOf.number })}` : ''
        }
        onCancel={() => setSkillsOf(undefined)}
        onOk={async () => {
          if (!skillsOf) return;
          if (await act(() => apiPut(`/branches/${branchId}/counters/${skillsOf.id}/skills`, { skills })))
            setSkillsOf(undefined);
        }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('queue.lobby.skills')}</Typography.Paragraph>
        <Select
          mode="multiple"
          value={skills}
          onChange={setSkills}
          style={{ width: '100%' }}
          options={services.map((s) => ({ value: s.code, label: serviceName(s, locale) }))}
          data-testid="skills-select"
        />
      </Modal>
      <Modal
        open={triageOf !== undefined}
        title={triageOf ? `${t('queue.lobby.triageNote')} · ${triageOf.number}` : ''}
        onCancel={() => setTriageOf(undefined)}
        okButtonProps={{ disabled: note.trim().length === 0 }}
        onOk={async () => {
          if (!triageOf) return;
          if (
            await act(() =>
              apiPut(`/branches/${branchId}/tickets/${triageOf.id}/triage`, { note: note.trim() }),
            )
          )
            setTriageOf(undefined);
        }}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          maxLength={500}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('queue.lobby.triagePlaceholder')}
        />
      </Modal>
    </Space>
  );
}

/**
 * Predicted wait of a new ticket per service as a range: an invisible bar up to the interval's
 * lower bound, a dark one up to the prediction, a light one up to the upper bound.
 */
function PredictionChart({
  services,
  locale,
}: {
  readonly services: readonly LobbyService[];
  readonly locale: string;
}) {
  const { t } = useTranslation();
  const option = useMemo((): EChartOption => {
    const rows = [...services].reverse();
    const minutes = rows.map((s) => estimateMinutes(s.estimate));
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const first = (params as { dataIndex: number }[])[0];
          const m = first ? minutes[first.dataIndex] : undefined;
          const s = first ? rows[first.dataIndex] : undefined;
          if (!m || !s) return '';
          return `${serviceName(s, locale)}<br/>${t('queue.prediction.about', { n: m.point })} ${t(
            'queue.prediction.range',
            { lower: m.lower, upper: m.upper },
          )}`;
        },
      },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', data: rows.map((s) => serviceName(s, locale)) },
      series: [
        {
          name: t('queue.prediction.lower'),
          type: 'bar',
          stack: 'wait',
          itemStyle: { color: 'transparent' },
          data: minutes.map((m) => m.lower),
        },
        {
          name: t('queue.prediction.toPoint'),
          type: 'bar',
          stack: 'wait',
          itemStyle: { color: '#1d4ed8' },
          data: minutes.map((m) => m.point - m.lower),
        },
        {
          name: t('queue.prediction.toUpper'),
          type: 'bar',
          stack: 'wait',
          itemStyle: { color: '#93c5fd' },
          data: minutes.map((m) => m.upper - m.point),
        },
      ],
    };
  }, [services, locale, t]);
  return (
    <div style={{ marginTop: 12 }} data-testid="lobby-prediction-chart">
      <Typography.Text type="secondary">{t('queue.prediction.chart')}</Typography.Text>
      <EChart option={option} height={40 + services.length * 36} label={t('queue.prediction.chart')} />
    </div>
  );
}
