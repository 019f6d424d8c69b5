// Why a CSV import rejects a row, as a stable code with parameters (no zod): the server stores
// them next to the English text, and the web app renders them in the reader's language.

export const ImportRowReasonCodes = [
  /** The column is empty or absent. */
  'required',
  /** Not one of the allowed values (`allowed`). */
  'invalid_choice',
  /** Not a date or date-time in the expected `format`. */
  'bad_date',
  'bad_integer',
  'bad_email',
  'bad_phone',
  /** Some other malformed text. */
  'bad_format',
  /** Shorter than `limit` characters. */
  'too_short',
  /** Longer than `limit` characters. */
  'too_long',
  /** A resident ID number whose check character is wrong. */
  'bad_check_digit',
  /** A service level of the other kind of customer (`kind`: the row's kind). */
  'level_not_for_kind',
  /** A branch code that does not exist or lies outside the importer's scope. */
  'unknown_branch',
  /** A username that does not exist in the importer's scope. */
  'unknown_user',
  /** The same identification as an earlier row of the file (`firstRow`). */
  'duplicate_in_file',
  /** The identification belongs to a customer already on file (`customerNo`). */
  'already_on_file',
  /** An exact repeat of an earlier row; skipped. */
  'exact_repeat',
  /** Anything not foreseen above; `detail` says what, in English. */
  'invalid',
] as const;
export type ImportRowReasonCode = (typeof ImportRowReasonCodes)[number];

/**
 * One reason a row was rejected. `column` is the CSV column (as in the header); `value` is what
 * the row had there, left out for personal data (names, identification, contact details).
 */
export interface ImportRowReason {
  readonly code: ImportRowReasonCode;
  readonly column: string;
  readonly value?: string;
  readonly format?: string;
  readonly limit?: number;
  readonly allowed?: readonly string[];
  readonly firstRow?: number;
  readonly customerNo?: string;
  readonly kind?: string;
  readonly detail?: string;
}

/** Why a whole file was refused (no row was looked at), or a job did not finish. */
export const ImportRefusalCodes = [
  'unreadable_csv',
  'no_rows',
  /** `columns`: the required columns the header lacks. */
  'missing_columns',
  /** `limit`: the most data rows a file may have. */
  'too_many_rows',
  'interrupted',
  'failed',
] as const;
export type ImportRefusalCode = (typeof ImportRefusalCodes)[number];

export interface ImportRefusal {
  readonly code: ImportRefusalCode;
  readonly columns?: readonly string[];
  readonly limit?: number;
}

/** Values echoed into a report are cut, so one absurd cell cannot bloat it. */
const MAX_ECHOED = 80;

export function echoValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  return v.length > MAX_ECHOED ? `${v.slice(0, MAX_ECHOED)}…` : v;
}
