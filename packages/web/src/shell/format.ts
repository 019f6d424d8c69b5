import { localTimeline } from '@serviceloop/domain/shared/wall-clock';

const intlLocale = (locale: string): string => (locale === 'en' ? 'en-GB' : 'zh-CN');

/** Date and time in the UI's language (zh-CN: 2026/11/22 13:45:07), in the browser's zone. */
export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(intlLocale(locale), { hour12: false });
}

/** The browser's IANA time zone (the viewer's clock). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Minutes east of UTC that the zone's clocks read at this instant. */
export function utcOffsetMinutes(at: Date, timeZone: string): number {
  return Math.round((localTimeline(at, timeZone) - at.getTime()) / 60_000);
}

/** "UTC+8", "UTC-5", "UTC+5:30", "UTC": unambiguous where abbreviations are not (CST is China and Chicago). */
export function formatUtcOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const mm = abs % 60;
  return `UTC${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${mm ? `:${String(mm).padStart(2, '0')}` : ''}`;
}

export interface ZonedFormatOptions {
  /** Adds the weekday ("周二" / "Tue"): deadlines are read against working days. */
  readonly weekday?: boolean;
  /** The viewer's zone; the browser's when not given. */
  readonly viewerZone?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(locale: string, timeZone: string, weekday: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${weekday}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(weekday ? { weekday: 'short' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      // h23, not hour12: false, which some engines render as "24:05" just after midnight.
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  return f;
}

/** A zoned reading: the wall-clock text, and the zone's offset when the viewer's clock differs. */
export interface ZonedReading {
  readonly text: string;
  readonly offset: string | null;
}

/**
 * An instant as wall-clock time in `timeZone` — the zone whose promise it is, e.g. the branch that
 * owns a case ("due 2026/11/24 17:30" is 17:30 at the branch) — in the UI's language, with the
 * zone's UTC offset when the viewer's clock reads differently at that instant. Without a zone it
 * is the viewer's time; undefined for an unreadable instant.
 */
export function readInZone(
  iso: string,
  locale: string,
  timeZone: string | undefined,
  options: ZonedFormatOptions = {},
): ZonedReading | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const viewer = options.viewerZone ?? viewerTimeZone();
  const zone = timeZone ?? viewer;
  const text = formatterFor(locale, zone, options.weekday ?? false).format(date);
  const offset = utcOffsetMinutes(date, zone);
  return { text, offset: offset === utcOffsetMinutes(date, viewer) ? null : formatUtcOffset(offset) };
}

/**
 * `readInZone` as one string: "2026/11/24 17:30 (UTC+8)" for a viewer elsewhere, so nobody takes
 * it for their own local time; "2026/11/24 17:30" for one whose clock reads the same.
 */
export function formatInZone(
  iso: string,
  locale: string,
  timeZone: string | undefined,
  options: ZonedFormatOptions = {},
): string {
  const r = readInZone(iso, locale, timeZone, options);
  if (!r) return iso;
  return r.offset ? `${r.text} (${r.offset})` : r.text;
}
