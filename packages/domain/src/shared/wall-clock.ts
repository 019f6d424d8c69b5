const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as "local timeline" milliseconds in an IANA zone: the wall-clock reading there,
 * encoded as if it were UTC (10:00 in Beijing reads 10:00). The time base of the visit log, whose
 * CSV times carry no zone, and of spreadsheet cells, which have no zones either.
 */
export function localTimeline(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
    at.getUTCMilliseconds(),
  );
}
