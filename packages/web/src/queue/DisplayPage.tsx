import { SoundOutlined } from '@ant-design/icons';
import { Button, Checkbox } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { buildUrl } from '../shell/api.ts';
import { LanguageSwitch } from '../shell/ShellLayout.tsx';
import { Announcer, type Utterance } from './announcer.ts';
import { type CallEvent, type DisplayNotices, type DisplayState, formatClock } from './api.ts';

const FLASH_MS = 8_000;
/** How often the board re-checks notice end times (a notice may end while nothing else happens). */
const NOTICE_TICK_MS = 15_000;

/** The notices a board shows: the newest list it received, minus those whose time is up. */
function liveNotices(received: DisplayNotices | undefined, skewMs: number, nowMs: number) {
  if (!received) return [];
  const serverNow = nowMs + skewMs;
  return received.notices.filter((n) => n.endsAt === null || Date.parse(n.endsAt) > serverNow);
}

function parse<T>(event: MessageEvent): T | undefined {
  try {
    return JSON.parse(String(event.data)) as T;
  } catch {
    return undefined;
  }
}

/** 叫号屏: live over Server-Sent Events, chime and voice call-outs one after another. */
export function DisplayPage() {
  const { branchId = '' } = useParams();
  const [search] = useSearchParams();
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [state, setState] = useState<DisplayState | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  const [voiceOn, setVoiceOn] = useState(false);
  const [english, setEnglish] = useState(false);
  const [flash, setFlash] = useState<{ number: string; counter: number | null; at: number } | undefined>(
    undefined,
  );
  // Notices: the newest list by the server's `at` (a late copy of an older change is ignored),
  // and the server clock's offset, so an end time is judged by the server's clock, not the board's.
  const [notices, setNotices] = useState<{ list: DisplayNotices; skewMs: number } | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const announcer = useMemo(() => new Announcer(), []);
  const englishRef = useRef(english);
  englishRef.current = english;
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    const source = new EventSource(buildUrl(`/branches/${branchId}/display/stream`));
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    source.addEventListener('state', (e) => {
      const next = parse<DisplayState>(e);
      if (next) {
        setState(next);
        setConnected(true);
      }
    });
    source.addEventListener('notices', (e) => {
      const next = parse<DisplayNotices>(e);
      if (!next) return;
      const skewMs = Date.parse(next.at) - Date.now();
      setNotices((current) => (current && next.at < current.list.at ? current : { list: next, skewMs }));
    });
    source.addEventListener('call', (e) => {
      const call = parse<CallEvent>(e);
      if (!call) return;
      setFlash({ number: call.number, counter: call.counterNumber, at: Date.now() });
      if (call.counterNumber === null) return;
      const tr = tRef.current;
      const vars = { number: call.number, counter: call.counterNumber };
      const utterances: Utterance[] = [
        { text: tr('queue.display.callout', { ...vars, lng: 'zh-CN' }), lang: 'zh-CN' },
      ];
      if (englishRef.current) utterances.push({ text: tr('queue.display.calloutEn', vars), lang: 'en-US' });
      announcer.announce(utterances);
    });
    return () => source.close();
  }, [branchId, announcer]);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), NOTICE_TICK_MS);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    if (!flash) return;
    const timer = window.setTimeout(() => setFlash(undefined), FLASH_MS);
    return () => window.clearTimeout(timer);
  }, [flash]);

  const posted = liveNotices(notices?.list, notices?.skewMs ?? 0, now);
  const textOf = (n: (typeof posted)[number]) =>
    n.textEn && (locale === 'en' || english)
      ? locale === 'en'
        ? n.textEn
        : `${n.textZh} / ${n.textEn}`
      : n.textZh;
  const footer = [
    ...posted.map((n) => ({ key: n.id, text: textOf(n), warning: n.level === 'warning' })),
    ...search.getAll('notice').map((text, i) => ({ key: `q${i}`, text, warning: true })),
    ...(state?.counters
      .filter((c) => c.state === 'paused')
      .map((c) => ({
        key: `paused-${c.number}`,
        text: t('queue.display.counterPaused', { n: c.number }),
        warning: false,
      })) ?? []),
  ];
  const calling = state?.counters.filter((c) => c.currentNumber) ?? [];

  return (
    <div
      style={{
        minHeight: '100vh',
        background: '#111827',
        color: '#f9fafb',
        display: 'flex',
        flexDirection: 'column',
      }}
      data-testid="display"
    >
      <header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 24,
          padding: '16px 32px',
          background: '#8f1d22',
        }}
      >
        <div style={{ fontSize: 36, fontWeight: 700, flex: 1 }}>
          {state?.branchName ?? ''} · {t('queue.display.title')}
        </div>
        <span
          style={{ fontSize: 18, color: connected ? '#86efac' : '#fca5a5' }}
          data-testid="display-connection"
        >
          ● {connected ? t('queue.display.live') : t('queue.display.reconnecting')}
        </span>
        {voiceOn ? (
          <span style={{ fontSize: 18 }} data-testid="voice-on">
            <SoundOutlined /> {t('queue.display.voiceOn')}
          </span>
        ) : (
          <Button
            size="large"
            icon={<SoundOutlined />}
            onClick={() => {
              announcer.enable();
              setVoiceOn(true);
            }}
            data-testid="enable-voice"
          >
            {t('queue.display.enableVoice')}
          </Button>
        )}
        <Checkbox
          checked={english}
          onChange={(e) => setEnglish(e.target.checked)}
          style={{ color: '#fff', fontSize: 16 }}
        >
          {t('queue.display.alsoEnglish')}
        </Checkbox>
        <LanguageSwitch />
      </header>
      {flash && (
        <div
          style={{
            background: '#fde047',
            color: '#111827',
            textAlign: 'center',
            fontSize: 64,
            fontWeight: 800,
            padding: 12,
          }}
          data-testid="display-flash"
          role="status"
          aria-live="assertive"
        >
          {flash.counter !== null
            ? t('queue.display.callout', { number: flash.number, counter: flash.counter })
            : flash.number}
        </div>
      )}
      <main style={{ flex: 1, display: 'grid', gridTemplateColumns: '2fr 1fr', gap: 24, padding: 24 }}>
        <section>
          <h2 style={sectionTitle}>{t('queue.display.nowServing')}</h2>
          <table
            style={{ width: '100%', borderCollapse: 'collapse', fontSize: 56 }}
            data-testid="display-calls"
          >
            <thead>
              <tr style={{ color: '#9ca3af', fontSize: 28 }}>
                <th style={cellHead}>{t('queue.display.number')}</th>
                <th style={cellHead}>{t('queue.display.toCounter')}</th>
              </tr>
            </thead>
            <tbody>
              {calling.map((c) => (
                <tr
                  key={c.number}
                  data-testid={`display-counter-${c.number}`}
                  style={{
                    borderTop: '1px solid #374151',
                    color: flash?.number === c.currentNumber ? '#fde047' : '#f9fafb',
                  }}
                >
                  <td style={{ padding: '8px 16px', fontWeight: 800, letterSpacing: 4 }}>
                    {c.currentNumber}
                  </td>
                  <td style={{ padding: '8px 16px' }}>{t('queue.counterN', { n: c.number })}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {calling.length === 0 && (
            <div style={{ fontSize: 32, color: '#6b7280', padding: 16 }}>{t('queue.display.idle')}</div>
          )}
        </section>
        <aside style={{ display: 'grid', gap: 24, alignContent: 'start' }}>
          <section>
            <h2 style={sectionTitle}>{t('queue.display.waiting')}</h2>
            <div data-testid="display-waiting">
              {state?.waiting.map((w) => (
                <div
                  key={w.code}
                  style={{ display: 'flex', justifyContent: 'space-between', fontSize: 30, padding: '4px 0' }}
                  data-testid={`display-waiting-${w.code}`}
                  data-count={w.waiting}
                >
                  <span>{locale === 'en' ? w.nameEn : w.nameZh}</span>
                  <strong>{t('queue.display.waitingN', { n: w.waiting })}</strong>
                </div>
              ))}
            </div>
          </section>
          <section>
            <h2 style={sectionTitle}>{t('queue.display.recent')}</h2>
            <div data-testid="display-recent">
              {state?.recentCalls.slice(0, 6).map((r) => (
                <div
                  key={`${r.ticketId}-${r.calledAt}`}
                  style={{ display: 'flex', gap: 16, fontSize: 26, padding: '2px 0', color: '#d1d5db' }}
                >
                  <strong style={{ minWidth: 100 }}>{r.number}</strong>
                  <span style={{ flex: 1 }}>
                    {r.counterNumber !== null ? t('queue.counterN', { n: r.counterNumber }) : ''}
                  </span>
                  <span style={{ color: '#9ca3af' }}>{formatClock(r.calledAt, locale)}</span>
                </div>
              ))}
            </div>
          </section>
        </aside>
      </main>
      {footer.length > 0 && (
        <footer
          style={{
            background: '#1f2937',
            padding: '12px 32px',
            fontSize: 28,
            display: 'flex',
            flexWrap: 'wrap',
            gap: '4px 24px',
            alignItems: 'baseline',
          }}
          data-testid="display-notices"
          aria-live="polite"
        >
          <span style={{ color: '#9ca3af' }}>{t('queue.display.notices')}:</span>
          {footer.map((n) => (
            <span
              key={n.key}
              style={{ color: n.warning ? '#fbbf24' : '#e5e7eb', fontWeight: n.warning ? 700 : 400 }}
              data-testid="display-notice"
            >
              {n.warning ? '⚠ ' : ''}
              {n.text}
            </span>
          ))}
        </footer>
      )}
    </div>
  );
}

const sectionTitle = { color: '#fbbf24', fontSize: 30, margin: '0 0 12px', fontWeight: 600 };
const cellHead = { textAlign: 'left' as const, padding: '4px 16px', fontWeight: 500 };
