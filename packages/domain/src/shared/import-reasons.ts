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

/**
 * What an import let through as recorded: glitches real data has, counted per kind. The codes are
 * the visit log's (the customer import tolerates nothing).
 */
export const ImportToleratedCodes = [
  /** Another visit reused an id; kept under a derived id (`id#2`). */
  'reused_id',
  /** Service began up to a few seconds before the recorded call (clock skew between systems). */
  'service_before_call',
  /** A time earlier than arrival, or an end before the start. */
  'time_inconsistent',
  /** The outcome contradicts the times (e.g. served without a call time). */
  'outcome_mismatch',
  /** The file was not sorted by arrival; the rows were sorted. */
  'out_of_order',
] as const;
export type ImportToleratedCode = (typeof ImportToleratedCodes)[number];

export interface ImportTolerated {
  readonly code: ImportToleratedCode;
  /** Rows affected. */
  readonly count: number;
}

/**
 * A finished import's outcome as figures, for the reader's language (the job's `message` says the
 * same in English). A dry run writes nothing: `imported` and `alreadyOnFile` are then 0.
 */
export interface ImportSummary {
  /** Rows that passed the checks (what a dry run would import). */
  readonly importable: number;
  readonly imported: number;
  /** Importable rows skipped because they are already on file (same id). */
  readonly alreadyOnFile: number;
  readonly rejected: number;
  readonly tolerated: readonly ImportTolerated[];
}

/** Values echoed into a report are cut, so one absurd cell cannot bloat it. */
const MAX_ECHOED = 80;

export function echoValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  return v.length > MAX_ECHOED ? `${v.slice(0, MAX_ECHOED)}…` : v;
}
