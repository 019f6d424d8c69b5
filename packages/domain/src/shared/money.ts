import { z } from 'zod';

/** Money is integer minor units (fen, pence, cents) with an ISO 4217 currency code. */
export const ZMoney = z.strictObject({
  amountMinor: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. CNY'),
});
export type TMoney = z.infer<typeof ZMoney>;

export function formatMoney(money: TMoney, locale = 'zh-CN'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(
    money.amountMinor / 100,
  );
}
