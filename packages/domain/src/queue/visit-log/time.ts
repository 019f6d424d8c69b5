/**
 * Visit logs carry naive local timestamps (no zone). We read them as if they were UTC: the
 * result is not a real instant, but it is a consistent, DST-free timeline in milliseconds in
 * which differences and ordering are exact. Converting to a true instant needs the branch's
 * IANA zone and belongs to the importer, not to queue statistics.
 */
const LOCAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** Parses `YYYY-MM-DDTHH:mm[:ss[.SSS]]` to timeline milliseconds, or null if malformed. */
export function parseLocalTimestamp(text: string): number | null {
  const m = LOCAL_TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const milli = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
  const at = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  // Date.UTC silently rolls 2010-02-30 over to March; a round trip catches it.
  const check = new Date(at);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  return at;
}

/** Formats timeline milliseconds back to `YYYY-MM-DDTHH:mm:ss` (milliseconds only when present). */
export function formatLocalTimestamp(at: number): string {
  const iso = new Date(at).toISOString(); // 2010-08-01T10:00:37.000Z
  const base = iso.slice(0, 19);
  const millis = iso.slice(20, 23);
  return millis === '000' ? base : `${base}.${millis}`;
}

/** The calendar day (`YYYY-MM-DD`) of a timeline timestamp. */
export function localDayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Day of week of a timeline timestamp, 0 = Sunday … 6 = Saturday. */
export function localWeekdayOf(at: number): number {
  return new Date(at).getUTCDay();
}

/** Milliseconds since local midnight. */
export function localTimeOfDayMs(at: number): number {
  return ((at % 86_400_000) + 86_400_000) % 86_400_000;
}
