import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { currencyCode } from '../money.ts';

/**
 * Dated exchange rates (fx_rate): a transaction recognised on a day is converted to its plan's
 * currency at the pair's latest rate valid on or before that day. A rate is a positive decimal
 * written as text ("1.0825"), stored exactly as a fraction; setting a pair's rate for a day again
 * replaces it.
 */

export const fxRateText = z
  .string()
  .trim()
  .regex(/^[0-9]{1,12}(\.[0-9]{1,12})?$/, 'must be a decimal number such as 1.0825 (up to 12 digits before and after the point)')
  .refine((s) => /[1-9]/.test(s), 'must be more than zero')
  .refine((s) => s.replace('.', '').replace(/^0+/, '').length <= 15, 'has too many significant digits (at most 15)')
  .describe('Units of the target currency for one unit of the source currency, as a decimal string');

export const upsertFxRateRequest = z
  .strictObject({
    currency: currencyCode.describe('From (the transaction currency)'),
    toCurrency: currencyCode.describe('To (the plan currency)'),
    validOn: isoDate.describe('Valid from this day until the pair’s next rate'),
    rate: fxRateText,
  })
  .refine((r) => r.currency !== r.toCurrency, { message: 'must differ from currency', path: ['toCurrency'] });
export type UpsertFxRateRequest = z.infer<typeof upsertFxRateRequest>;

export const fxRateView = z.object({
  currency: z.string(),
  toCurrency: z.string(),
  validOn: isoDate,
  rate: z.string(),
  createdAt: z.string(),
});
export type FxRateView = z.infer<typeof fxRateView>;

export const fxRateListQuery = z.strictObject({
  currency: currencyCode.optional(),
  toCurrency: currencyCode.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type FxRateListQuery = z.input<typeof fxRateListQuery>;

export const fxRatePage = z.object({ items: z.array(fxRateView), total: z.number().int() });
export type FxRatePage = z.infer<typeof fxRatePage>;

export const upsertFxRateResult = z.object({ rate: fxRateView, replaced: z.string().nullable().describe('The rate it replaced for that day, if any') });
export type UpsertFxRateResult = z.infer<typeof upsertFxRateResult>;
