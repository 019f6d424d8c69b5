import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { countdown, RISK_COLOUR, type Risk } from './model.ts';

/** The current time, refreshed every `intervalMs` (countdowns tick without reloading). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function RiskTag({ risk }: { readonly risk: Risk }) {
  const { t } = useTranslation();
  return (
    <Tag color={RISK_COLOUR[risk]} data-risk={risk} bordered={false}>
      {t(`cases.risk.${risk}`)}
    </Tag>
  );
}

/** A countdown to a due time, coloured by risk (green / amber / red; breached is solid red). */
export function Countdown({
  dueAt,
  risk,
  now,
  testId,
}: {
  readonly dueAt: string | null;
  readonly risk: Risk;
  readonly now: number;
  readonly testId?: string;
}) {
  const { t } = useTranslation();
  const text = countdown(dueAt, now, t);
  const colour = risk === 'breached' ? '#cf1322' : risk === 'warning' ? '#d48806' : '#389e0d';
  return (
    <span
      data-testid={testId}
      data-risk={risk}
      style={{
        color: risk === 'breached' ? '#fff' : colour,
        background: risk === 'breached' ? colour : 'transparent',
        borderRadius: 4,
        padding: risk === 'breached' ? '1px 6px' : 0,
        fontWeight: 600,
        whiteSpace: 'nowrap',
        fontVariantNumeric: 'tabular-nums',
      }}
    >
      {text}
    </span>
  );
}
