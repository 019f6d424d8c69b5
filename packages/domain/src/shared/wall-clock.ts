const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as "local timeline" milliseconds in an IANA zone: the wall-clock reading there,
 * encoded as if it were UTC (10:00 in Beijing reads 10:00). The time base of the visit log, whose
 * CSV times carry no zone, and of spreadsheet cells, which have no zones either.
 */
export function localTimeline(at: Date, timeZone: string): number {
  const ms = at.getTime();
  const bucket = Math.floor(ms / BUCKET_MS);
  let offsets = bucketOffsets.get(timeZone);
  if (!offsets) {
    offsets = new Map();
    bucketOffsets.set(timeZone, offsets);
  }
  let offset = offsets.get(bucket);
  if (offset === undefined) {
    // The offset at the bucket's first and last millisecond: equal means no transition inside
    // (transitions are months apart), so every instant of the bucket has it. Otherwise the
    // bucket holds a transition and is read instant by instant.
    const first = bucket * BUCKET_MS;
    const a = readWallClock(first, timeZone) - first;
    const b = readWallClock(first + BUCKET_MS - 1, timeZone) - (first + BUCKET_MS - 1);
    offset = a === b ? a : Number.NaN;
    if (offsets.size >= MAX_BUCKETS) offsets.clear();
    offsets.set(bucket, offset);
  }
  return Number.isNaN(offset) ? readWallClock(ms, timeZone) : ms + offset;
}

/** Offsets are remembered per zone and quarter hour of UTC (replays and live reads revisit the same ones). */
const BUCKET_MS = 15 * 60_000;
const MAX_BUCKETS = 50_000;
const bucketOffsets = new Map<string, Map<number, number>>();

/** The wall clock of a zone read through Intl (exact, and slow: a few microseconds). */
export function readWallClock(ms: number, timeZone: string): number {
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
  const at = new Date(ms);
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
