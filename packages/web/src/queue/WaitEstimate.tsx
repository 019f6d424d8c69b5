import type { TWaitEstimate } from '@serviceloop/domain';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';

/** Minutes as people are told them: the point rounded, the 80% interval widened to whole minutes. */
export function estimateMinutes(e: TWaitEstimate): { point: number; lower: number; upper: number } {
  const point = Math.max(0, Math.round(e.pointSeconds / 60));
  const lower = Math.min(point, Math.max(0, Math.floor(e.lowerSeconds / 60)));
  const upper = Math.max(point, lower + 1, Math.ceil(e.upperSeconds / 60));
  return { point, lower, upper };
}

export function isLearned(e: TWaitEstimate): boolean {
  return e.method === 'serviceloop';
}

/**
 * A predicted wait: "约 6 分钟（3–12 分钟）" — the point and its 80% interval — optionally with the
 * basis of the prediction (the branch's own history, or the formula while it has none). The
 * seconds and the method are on data attributes for tests and kiosk printers.
 */
export function WaitEstimateView({
  estimate,
  testId,
  pointStyle,
  rangeStyle,
  basis = false,
  basisStyle,
}: {
  readonly estimate: TWaitEstimate | null | undefined;
  readonly testId?: string;
  readonly pointStyle?: CSSProperties;
  readonly rangeStyle?: CSSProperties;
  readonly basis?: boolean;
  readonly basisStyle?: CSSProperties;
}) {
  const { t } = useTranslation();
  if (!estimate) {
    return <span data-testid={testId}>{t('queue.noEstimate')}</span>;
  }
  const m = estimateMinutes(estimate);
  return (
    <span
      data-testid={testId}
      data-point-seconds={estimate.pointSeconds}
      data-lower-seconds={estimate.lowerSeconds}
      data-upper-seconds={estimate.upperSeconds}
      data-method={estimate.method}
      title={t('queue.prediction.interval', { lower: m.lower, upper: m.upper })}
    >
      <span style={{ fontWeight: 600, ...pointStyle }}>
        {m.point === 0 ? t('queue.prediction.soon') : t('queue.prediction.about', { n: m.point })}
      </span>
      <span style={rangeStyle} data-testid={testId ? `${testId}-range` : undefined}>
        {t('queue.prediction.range', { lower: m.lower, upper: m.upper })}
      </span>
      {basis && (
        <span style={{ display: 'block', fontSize: 13, color: '#888', fontWeight: 400, ...basisStyle }}>
          {isLearned(estimate) ? t('queue.prediction.basisLearned') : t('queue.prediction.basisFormula')}
        </span>
      )}
    </span>
  );
}
