import { Alert, Button, Input, Result, Segmented, Spin, Switch } from 'antd';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, describeError } from '../shell/api.ts';
import { useAsync } from '../shell/hooks.ts';
import {
  formatClock,
  type IssueTicketRequest,
  type IssueTicketResponse,
  issueTicket,
  type KioskInfo,
  serviceName,
  statusPageUrl,
} from './api.ts';
import { PublicPage } from './PublicPage.tsx';
import { estimateMinutes, isLearned, WaitEstimateView } from './WaitEstimate.tsx';

type IdKind = 'anonymous' | 'card' | 'phone' | 'national_id';
type Assistance = 'elderly' | 'disabled';

const idPatterns: Record<Exclude<IdKind, 'anonymous'>, RegExp> = {
  card: /^\d{12,19}$/,
  phone: /^\+?\d{6,15}$/,
  national_id: /^[0-9A-Z]{6,32}$/,
};

const RETURN_AFTER_S = 45;

const printCss = `
@media print {
  @page { size: 80mm auto; margin: 0; }
  body * { visibility: hidden !important; }
  .sl-ticket-print, .sl-ticket-print * { visibility: visible !important; }
  .sl-ticket-print { position: absolute; left: 0; top: 0; width: 80mm; padding: 4mm; box-shadow: none !important;
    border: none !important; font-size: 11pt; color: #000; background: #fff; }
  .sl-ticket-print .sl-ticket-number { font-size: 40pt !important; }
  .sl-ticket-print img { width: 36mm !important; height: 36mm !important; }
  .sl-no-print { display: none !important; }
}`;

export function KioskPage() {
  const { branchId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const info = useAsync(
    (signal) => api.get<KioskInfo>(`/branches/${branchId}/kiosk`, undefined, signal),
    [branchId],
  );
  const [idKind, setIdKind] = useState<IdKind>('anonymous');
  const [idValue, setIdValue] = useState('');
  const [priority, setPriority] = useState(false);
  const [assistance, setAssistance] = useState<Assistance>('elderly');
  const [busy, setBusy] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [issued, setIssued] = useState<IssueTicketResponse | undefined>(undefined);

  const normalisedId = idKind === 'national_id' ? idValue.trim().toUpperCase() : idValue.replace(/\s+/g, '');
  const idValid = idKind === 'anonymous' || idPatterns[idKind].test(normalisedId);

  const reset = () => {
    setIssued(undefined);
    setIdKind('anonymous');
    setIdValue('');
    setPriority(false);
    setError(undefined);
  };

  const issue = async (serviceCode: string) => {
    if (busy || !idValid) return;
    setBusy(true);
    setRetrying(false);
    setError(undefined);
    const body: IssueTicketRequest = {
      serviceCode,
      locale,
      ...(idKind === 'anonymous' ? {} : { identification: { kind: idKind, value: normalisedId } }),
      ...(priority ? { assistance } : {}),
    };
    // One key per press of the button; retries after a timeout reuse it.
    const key = crypto.randomUUID();
    try {
      setIssued(await issueTicket(branchId, body, key, () => setRetrying(true)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setRetrying(false);
    }
  };

  const title = info.data
    ? locale === 'en' && info.data.branchNameEn
      ? info.data.branchNameEn
      : info.data.branchName
    : t('queue.kiosk.title');

  if (info.error) {
    const d = describeError(info.error, t);
    return (
      <PublicPage title={t('queue.kiosk.title')} large>
        <Result status="warning" title={d.title} subTitle={d.detail} />
      </PublicPage>
    );
  }

  return (
    <PublicPage title={title} subtitle={`${t('queue.kiosk.title')} · ${t('queue.kiosk.subtitle')}`} large>
      <style>{printCss}</style>
      {!info.data ? (
        <div style={{ display: 'grid', placeItems: 'center', height: 400 }}>
          <Spin size="large" />
        </div>
      ) : issued ? (
        <IssuedTicket issued={issued} info={info.data} onDone={reset} />
      ) : (
        <div style={{ maxWidth: 1100, margin: '0 auto', display: 'grid', gap: 28 }} data-testid="kiosk">
          <section style={panel}>
            <h2 style={h2}>{t('queue.kiosk.identify')}</h2>
            <Segmented<IdKind>
              size="large"
              block
              value={idKind}
              onChange={(v) => {
                setIdKind(v);
                setIdValue('');
              }}
              options={[
                { value: 'anonymous', label: <span style={segLabel}>{t('queue.kiosk.anonymous')}</span> },
                { value: 'card', label: <span style={segLabel}>{t('queue.kiosk.card')}</span> },
                { value: 'phone', label: <span style={segLabel}>{t('queue.kiosk.phone')}</span> },
                { value: 'national_id', label: <span style={segLabel}>{t('queue.kiosk.nationalId')}</span> },
              ]}
              data-testid="kiosk-id-kind"
            />
            {idKind !== 'anonymous' && (
              <div style={{ marginTop: 16 }}>
                <Input
                  size="large"
                  value={idValue}
                  onChange={(e) => setIdValue(e.target.value)}
                  inputMode={idKind === 'national_id' ? 'text' : 'numeric'}
                  placeholder={t(
                    idKind === 'card'
                      ? 'queue.kiosk.cardPlaceholder'
                      : idKind === 'phone'
                        ? 'queue.kiosk.phonePlaceholder'
                        : 'queue.kiosk.nationalIdPlaceholder',
                  )}
                  status={idValue && !idValid ? 'error' : undefined}
                  style={{ fontSize: 32, height: 72 }}
                  aria-label={t('queue.kiosk.identify')}
                  data-testid="kiosk-id-value"
                  autoFocus
                />
                {idValue && !idValid && (
                  <div style={{ color: '#cf1322', fontSize: 20, marginTop: 6 }}>
                    {t('queue.kiosk.invalidValue')}
                  </div>
                )}
              </div>
            )}
          </section>
          <section style={{ ...panel, display: 'flex', alignItems: 'center', gap: 20, flexWrap: 'wrap' }}>
            <Switch
              checked={priority}
              onChange={setPriority}
              style={{ transform: 'scale(1.8)', margin: '0 18px' }}
              aria-label={t('queue.kiosk.priority')}
              data-testid="kiosk-priority"
            />
            <span style={{ fontSize: 28, fontWeight: 500 }}>{t('queue.kiosk.priority')}</span>
            {priority && (
              <Segmented<Assistance>
                size="large"
                value={assistance}
                onChange={setAssistance}
                options={[
                  {
                    value: 'elderly',
                    label: <span style={segLabel}>{t('queue.kiosk.priorityElderly')}</span>,
                  },
                  {
                    value: 'disabled',
                    label: <span style={segLabel}>{t('queue.kiosk.priorityDisabled')}</span>,
                  },
                ]}
              />
            )}
          </section>
          <section>
            <h2 style={{ ...h2, textAlign: 'center' }}>{t('queue.kiosk.pickService')}</h2>
            {error !== undefined && (
              <Alert
                type="error"
                showIcon
                style={{ fontSize: 22, marginBottom: 16 }}
                title={`${t('queue.kiosk.failed')}: ${describeError(error, t).title}`}
                description={describeError(error, t).detail}
                data-testid="kiosk-error"
              />
            )}
            {busy && (
              <div style={{ textAlign: 'center', fontSize: 24, marginBottom: 12 }} role="status">
                <Spin /> {retrying ? t('queue.kiosk.retrying') : t('queue.kiosk.issuing')}
              </div>
            )}
            <div
              style={{
                display: 'grid',
                gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))',
                gap: 20,
              }}
            >
              {info.data.services.map((s) => (
                <Button
                  key={s.code}
                  type="primary"
                  disabled={busy || !idValid}
                  onClick={() => void issue(s.code)}
                  style={{
                    height: 150,
                    fontSize: 38,
                    fontWeight: 600,
                    display: 'flex',
                    flexDirection: 'column',
                    gap: 4,
                  }}
                  data-testid={`kiosk-service-${s.code}`}
                >
                  <span style={{ fontSize: 30, opacity: 0.85 }}>{s.prefix}</span>
                  <span>{serviceName(s, locale)}</span>
                </Button>
              ))}
            </div>
          </section>
        </div>
      )}
    </PublicPage>
  );
}

const panel = { background: '#fff', borderRadius: 12, padding: 24, boxShadow: '0 1px 3px rgba(0,0,0,.08)' };
const h2 = { fontSize: 30, margin: '0 0 16px', fontWeight: 600 };
const segLabel = { fontSize: 24, lineHeight: '56px', padding: '0 8px' };

function IssuedTicket({
  issued,
  info,
  onDone,
}: {
  readonly issued: IssueTicketResponse;
  readonly info: KioskInfo;
  readonly onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [qr, setQr] = useState<string | undefined>(undefined);
  const [left, setLeft] = useState(RETURN_AFTER_S);
  const url = statusPageUrl(issued.ticket.id);
  const service = info.services.find((s) => s.code === issued.ticket.serviceCode);

  useEffect(() => {
    let alive = true;
    QRCode.toDataURL(url, { margin: 1, width: 240, errorCorrectionLevel: 'M' })
      .then((data) => alive && setQr(data))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [url]);

  useEffect(() => {
    const timer = window.setInterval(() => setLeft((n) => n - 1), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0) onDone();
  }, [left, onDone]);

  return (
    <div style={{ maxWidth: 760, margin: '0 auto', display: 'grid', gap: 24 }}>
      <div
        className="sl-ticket-print"
        style={{ ...panel, textAlign: 'center', padding: 32 }}
        data-testid="kiosk-ticket"
        data-ticket-id={issued.ticket.id}
      >
        <div style={{ fontSize: 22 }}>
          {locale === 'en' && info.branchNameEn ? info.branchNameEn : info.branchName}
        </div>
        <div style={{ fontSize: 24, color: '#666', marginTop: 8 }}>{t('queue.kiosk.yourNumber')}</div>
        <div
          className="sl-ticket-number"
          style={{ fontSize: 120, fontWeight: 700, color: '#8f1d22', lineHeight: 1.1, letterSpacing: 4 }}
          data-testid="kiosk-number"
        >
          {issued.ticket.number}
        </div>
        <div style={{ fontSize: 32, fontWeight: 500 }} data-testid="kiosk-service">
          {serviceName(service, locale, issued.ticket.serviceCode)}
        </div>
        <div style={{ fontSize: 30, marginTop: 16 }} data-testid="kiosk-ahead">
          {t('queue.kiosk.peopleAhead', { n: issued.peopleAhead })}
        </div>
        <div style={{ fontSize: 26, marginTop: 8 }} data-testid="kiosk-estimate">
          {t('queue.kiosk.predictedWait')}:{' '}
          <WaitEstimateView
            estimate={issued.estimate}
            testId="kiosk-estimate-value"
            pointStyle={{ fontSize: 34, color: '#111827' }}
          />
        </div>
        {issued.estimate && (
          <div style={{ fontSize: 16, color: '#555' }} data-testid="kiosk-estimate-interval">
            {t('queue.prediction.interval', estimateMinutes(issued.estimate))}
          </div>
        )}
        <div style={{ fontSize: 14, color: '#888' }} data-testid="kiosk-estimate-basis">
          {issued.estimate
            ? `${isLearned(issued.estimate) ? t('queue.prediction.basisLearned') : t('queue.prediction.basisFormula')} · `
            : ''}
          {t('queue.estimateNote')}
        </div>
        {qr && (
          <div style={{ marginTop: 16 }}>
            <img
              src={qr}
              alt={t('queue.kiosk.scan')}
              width={200}
              height={200}
              data-testid="kiosk-qr"
              data-url={url}
            />
            <div style={{ fontSize: 18 }}>{t('queue.kiosk.scan')}</div>
          </div>
        )}
        <div style={{ fontSize: 16, color: '#666', marginTop: 12 }}>
          {t('queue.kiosk.issuedAt')}: {issued.ticket.businessDay}{' '}
          {formatClock(issued.ticket.issuedAt, locale)}
        </div>
        <div style={{ fontSize: 16, color: '#666' }}>{t('queue.kiosk.keep')}</div>
      </div>
      <div className="sl-no-print" style={{ display: 'flex', gap: 20, justifyContent: 'center' }}>
        <Button size="large" style={bigButton} onClick={() => window.print()} data-testid="kiosk-print">
          {t('queue.kiosk.print')}
        </Button>
        <Button size="large" type="primary" style={bigButton} onClick={onDone} data-testid="kiosk-done">
          {t('queue.kiosk.done')}
        </Button>
      </div>
      <div className="sl-no-print" style={{ textAlign: 'center', fontSize: 18, color: '#888' }}>
        {t('queue.kiosk.autoReturn', { n: Math.max(0, left) })}
      </div>
    </div>
  );
}

const bigButton = { height: 80, fontSize: 30, minWidth: 240 };
