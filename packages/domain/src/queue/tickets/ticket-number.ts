import { z } from 'zod';
import type { TBusinessDay } from './business-day.ts';

/** Past 99,999 tickets of one service in one day something is wrong; refuse rather than wrap. */
export const MAX_TICKET_SEQUENCE = 99_999;

export const ZTicketSequence = z.number().int().min(1).max(MAX_TICKET_SEQUENCE);

/**
 * `A001` … `A999`, then `A1000`, `A1001` … The number is padded to three digits and widened,
 * never wrapped: wrapping to A001 would put two A001s in the same lobby on the same day, and
 * the voice call-out reads the digits either way.
 */
export function formatTicketNumber(prefix: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_TICKET_SEQUENCE) {
    throw new RangeError(`Ticket sequence out of range: ${sequence}`);
  }
  return `${prefix}${String(sequence).padStart(3, '0')}`;
}

const TICKET_NUMBER = /^([A-Z])(\d{3}|[1-9]\d{3,4})$/;

export const ZTicketNumber = z.string().regex(TICKET_NUMBER, 'A letter and at least three digits, e.g. A021');

/** Inverse of formatTicketNumber; undefined for anything it would not have produced. */
export function parseTicketNumber(
  number: string,
): { readonly prefix: string; readonly sequence: number } | undefined {
  const m = TICKET_NUMBER.exec(number);
  if (m === null) return undefined;
  const sequence = Number(m[2]);
  if (sequence < 1) return undefined;
  return { prefix: m[1]!, sequence };
}

/** The last number a service issued: the state a ticket counter keeps per branch and service. */
export interface TicketSequenceState {
  readonly businessDay: TBusinessDay;
  readonly sequence: number;
}

/**
 * The next sequence for a service: 1 on a new business day, otherwise one more. The store
 * applies this inside the transaction that inserts the ticket (so two kiosks never share one).
 */
export function nextTicketSequence(
  last: TicketSequenceState | undefined,
  businessDay: TBusinessDay,
): TicketSequenceState {
  if (last !== undefined && last.businessDay > businessDay)
    throw new RangeError('Business day went backwards');
  if (last === undefined || last.businessDay !== businessDay) return { businessDay, sequence: 1 };
  const sequence = last.sequence + 1;
  if (sequence > MAX_TICKET_SEQUENCE) throw new RangeError(`Ticket sequence exhausted for ${businessDay}`);
  return { businessDay, sequence };
}
