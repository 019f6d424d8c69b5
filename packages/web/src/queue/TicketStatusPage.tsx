import { Result, Spin, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, api, describeError } from '../shell/api.ts';
import { formatClock, isTicketStatus, type TicketStatusView } from './api.ts';
import { PublicPage } from './PublicPage.tsx';
import { estimateMinutes, isLearned, WaitEstimateView } from './WaitEstimate.tsx';

const POLL_MS = 3_000;

/** Mobile status page behind the ticket's QR code: position and estimate, then the counter. Live by polling. */
export function TicketStatusPage() {
  const { ticketId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [view, setView] = useState<TicketStatusView | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [updatedAt, setUpdatedAt] = useState<string | undefined>(undefined);

  useEffect(() => {
    let alive = true;
    let timer: number | undefined;
    const load = async () => {
      try {
        const next = await api.get<TicketStatusView>(`/tickets/${ticketId}`);
        if (!alive) return;
        setView(next);
        setError(undefined);
        setUpdatedAt(new Date().toISOString());
        const final = ['served', 'no_show', 'abandoned'].includes(next.ticket.status);
        if (!final) timer = window.setTimeout(() => void load(), POLL_MS);
      } catch (e) {
        if (!alive) return;
        setError(e);
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 400)))
          timer = window.setTimeout(() => void load(), POLL_MS * 2);
      }
    };
    void load();
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [ticketId]);

  if (error && !view) {
    const notFound = error instanceof ApiError && (error.status === 404 || error.status === 400);
    return (
      <PublicPage title={t('queue.statusPage.title')}>
        <Result
          status={notFound ? '404' : 'warning'}
          title={notFound ? t('queue.statusPage.notFound') : describeError(error, t).title}
        />
      </PublicPage>
    );
  }
  if (!view) {
    return (
      <PublicPage title={t('queue.statusPage.title')}>
        <div style={{ display: 'grid', placeItems: 'center', height: 300 }}>
          <Spin size="large" />
        </div>
      </PublicPage>
    );
  }

  const { ticket } = view;
  const status = ticket.status;
  const branch = locale === 'en' && view.branchNameEn ? view.branchNameEn : view.branchName;
  const counter = view.counterNumber;
  let headline: string;
  let colour = '#111827';
  if (status === 'called' && counter !== null) {
    headline = t('queue.statusPage.calledTo', { n: counter });
    colour = '#b1272d';
  } else if (status === 'serving' && counter !== null)
    headline = t('queue.statusPage.servingAt', { n: counter });
  else if (status === 'served') headline = t('queue.statusPage.served');
  else if (status === 'no_show') headline = t('queue.statusPage.missed');
  else if (status === 'abandoned') headline = t('queue.statusPage.left');
  else headline = isTicketStatus(status) ? t(`queue.ticketStatus.${status}`) : status;

  return (
    <PublicPage title={t('queue.statusPage.title')} subtitle={branch}>
      <div style={{ maxWidth: 480, margin: '0 auto', display: 'grid', gap: 12 }} data-testid="ticket-status">
        <div style={card}>
          <div style={{ color: '#666' }}>{locale === 'en' ? view.serviceNameEn : view.serviceNameZh}</div>
          <div
            style={{ fontSize: 64, fontWeight: 700, color: '#8f1d22', letterSpacing: 3 }}
            data-testid="status-number"
          >
            {ticket.number}
          </div>
          <Tag
            color={status === 'called' ? 'red' : status === 'waiting' ? 'blue' : 'default'}
            data-testid="status-tag"
          >
            {isTicketStatus(status) ? t(`queue.ticketStatus.${status}`) : status}
          </Tag>
          <div
            style={{ fontSize: 22, fontWeight: 600, marginTop: 12, color: colour }}
            data-testid="status-headline"
          >
            {headline}
          </div>
        </div>
        {status === 'waiting' && (
          <div style={card}>
            <div style={row}>
              <span>{t('queue.statusPage.position')}</span>
              <strong style={{ fontSize: 28 }} data-testid="status-ahead">
                {view.peopleAhead === null
                  ? t('common.none')
                  : t('queue.statusPage.peopleN', { n: view.peopleAhead })}
              </strong>
            </div>
            <div style={row}>
              <span style={{ whiteSpace: 'nowrap' }}>{t('queue.kiosk.predictedWait')}</span>
              <strong style={{ fontSize: 20, textAlign: 'right' }} data-testid="status-estimate">
                <WaitEstimateView
                  estimate={view.estimate}
                  testId="status-estimate-value"
                  pointStyle={{ fontSize: 28, whiteSpace: 'nowrap' }}
                  rangeStyle={{
                    fontSize: 16,
                    fontWeight: 400,
                    whiteSpace: 'nowrap',
                    display: 'inline-block',
                  }}
                />
              </strong>
            </div>
            {view.estimate && (
              <div
                style={{ color: '#555', fontSize: 14, padding: '4px 0' }}
                data-testid="status-estimate-interval"
              >
                {t('queue.prediction.interval', estimateMinutes(view.estimate))}
              </div>
            )}
            <div style={{ color: '#888', fontSize: 12 }} data-testid="status-estimate-basis">
              {view.estimate
                ? `${isLearned(view.estimate) ? t('queue.prediction.basisLearned') : t('queue.prediction.basisFormula')} · `
                : ''}
              {t('queue.estimateNote')}
            </div>
          </div>
        )}
        <div style={{ textAlign: 'center', color: '#999', fontSize: 12 }}>
          {updatedAt ? t('queue.statusPage.updated', { time: formatClock(updatedAt, locale) }) : ''}
        </div>
      </div>
    </PublicPage>
  );
}

const card = { background: '#fff', borderRadius: 12, padding: 20, textAlign: 'center' as const };
const row = {
  display: 'flex',
  justifyContent: 'space-between',
  alignItems: 'baseline',
  gap: 12,
  padding: '6px 0',
};
