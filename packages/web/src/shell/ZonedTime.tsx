import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { readInZone } from './format.ts';

/**
 * An instant in the zone it belongs to (a case's branch), in the UI's language: the date and time
 * never break apart; the offset, shown only when the viewer's clock differs, may wrap below.
 */
export function ZonedTime({
  iso,
  timeZone,
  weekday,
  testId,
}: {
  readonly iso: string;
  readonly timeZone: string;
  readonly weekday?: boolean;
  readonly testId?: string;
}) {
  const { i18n } = useTranslation();
  const r = readInZone(iso, i18n.language, timeZone, { weekday: weekday ?? false });
  if (!r) return <span data-testid={testId}>{iso}</span>;
  return (
    <span data-testid={testId} data-time-zone={timeZone} title={r.offset ? timeZone : undefined}>
      <span style={{ whiteSpace: 'nowrap' }}>{r.text}</span>
      {r.offset && (
        <>
          {' '}
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 'inherit' }}>
            ({r.offset})
          </Typography.Text>
        </>
      )}
    </span>
  );
}
