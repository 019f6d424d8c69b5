import {
  AppError,
  type TAppliedExtension,
  type TCase,
  type TPause,
  ZAppliedExtension,
  ZCase,
  ZPause,
} from '@serviceloop/domain';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_KEYS = new Set(['from', 'to']);

/** JSON (jsonb) turns Dates into ISO strings; this turns the date-valued fields back. */
function revive(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    return (key.endsWith('At') || DATE_KEYS.has(key)) && ISO.test(value) ? new Date(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => revive(v, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v, k)]));
  }
  return value;
}

/** The stored case record, validated by the domain's schema: a corrupt row is an error, not a guess. */
export function caseFromRecord(record: unknown): TCase {
  const parsed = ZCase.safeParse(revive(record));
  if (!parsed.success) {
    throw new AppError('internal', 'Stored case record is invalid', {
      details: { issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`) },
    });
  }
  return parsed.data;
}

export function pausesFromJson(value: unknown): TPause[] {
  const revived = revive(value, 'pauses');
  return Array.isArray(revived) ? revived.map((p) => ZPause.parse(p)) : [];
}

export function extensionsFromJson(value: unknown): TAppliedExtension[] {
  const revived = revive(value, 'extensions');
  return Array.isArray(revived) ? revived.map((e) => ZAppliedExtension.parse(e)) : [];
}
