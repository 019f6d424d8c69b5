import type { z } from 'zod';
import {
  echoValue,
  type ImportRowReason,
  type ImportRowReasonCode,
  ImportRowReasonCodes,
} from './import-reasons.ts';

export interface ReasonContext {
  /** The cell as the file had it; omit it for personal data, so the report does not repeat it. */
  readonly value?: string | undefined;
  /** The code of a malformed value of this column: a regex check carries no name of its own. */
  readonly formatCode?: ImportRowReasonCode;
  /** The format a date column expects, shown to the reader. */
  readonly dateFormat?: string;
}

const isReasonCode = (v: unknown): v is ImportRowReasonCode =>
  typeof v === 'string' && (ImportRowReasonCodes as readonly string[]).includes(v);

/**
 * A schema's complaint about one CSV column as a reason code. A custom check names its code in
 * `params.code`; what is not foreseen keeps zod's English message as `detail`.
 */
export function reasonFromZodIssue(
  issue: z.core.$ZodIssue,
  column: string,
  context: ReasonContext = {},
): ImportRowReason {
  const value = echoValue(context.value);
  const base = value === undefined ? { column } : { column, value };
  switch (issue.code) {
    case 'invalid_type':
      return context.value === undefined || context.value.trim() === ''
        ? { code: 'required', column }
        : { code: 'invalid', ...base, detail: issue.message };
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return { code: 'required', column };
      return { code: 'too_short', ...base, limit: Number(issue.minimum) };
    case 'too_big':
      return { code: 'too_long', column, limit: Number(issue.maximum) };
    case 'invalid_value':
      return { code: 'invalid_choice', ...base, allowed: issue.values.map(String) };
    case 'invalid_format':
      if (issue.format === 'email') return { code: 'bad_email', ...base };
      if (issue.format === 'date' || issue.format === 'datetime')
        return { code: 'bad_date', ...base, format: context.dateFormat ?? 'YYYY-MM-DD' };
      return { code: context.formatCode ?? 'bad_format', ...base };
    case 'custom': {
      const code: unknown = issue.params?.code;
      if (isReasonCode(code)) return { code, ...base, ...stringParams(issue.params) };
      return { code: 'invalid', ...base, detail: issue.message };
    }
    default:
      return { code: 'invalid', ...base, detail: issue.message };
  }
}

/** A custom issue's extra parameters that a reason may carry (only `kind` so far). */
function stringParams(params: Record<string, unknown> | undefined): Pick<ImportRowReason, 'kind'> {
  return typeof params?.kind === 'string' ? { kind: params.kind } : {};
}
