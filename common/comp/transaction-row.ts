import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { currencyCode, parseMajorAmount } from '../money.ts';
import { sourcing } from './plan.ts';

/**
 * The canonical transaction row: the columns of a transactions file (CSV or XLSX, after the import's
 * column mapping) and of `realign comp simulate --transactions`. Cells arrive as text; this schema
 * turns one row into the typed transaction the crediting step reads. Documented in docs/comp-plans.md.
 */

export const transactionKinds = ['booking', 'invoice', 'credit_note', 'cancellation'] as const;
export type TransactionKind = (typeof transactionKinds)[number];

export const transactionColumns = [
  'transaction_id',
  'kind',
  'recognised_on',
  'amount',
  'currency',
  'product',
  'scenario',
  'segment',
  'sourcing',
  'partner',
  'sellers',
  'overlays',
  'original_recognised_on',
  'end_customer',
  'territory',
] as const;
export type TransactionColumn = (typeof transactionColumns)[number];
export const requiredTransactionColumns: readonly TransactionColumn[] = ['transaction_id', 'kind', 'recognised_on', 'amount', 'currency', 'sellers'];

export const transactionColumnHelp: Record<TransactionColumn, string> = {
  transaction_id: 'Your id for the transaction line; unique within the source (a replay with the same id is the same line)',
  kind: 'booking, invoice, credit_note or cancellation',
  recognised_on: 'Date the transaction counts, YYYY-MM-DD',
  amount: 'Amount in major units with a dot for decimals (1234.50); credit notes and cancellations are negative',
  currency: 'ISO 4217 code, e.g. USD',
  product: 'Product or product line (optional)',
  scenario: 'Scenario key, e.g. maintenance_renewal (optional)',
  segment: 'Customer segment (optional)',
  sourcing: 'direct (default), partner_sourced or partner_influenced',
  partner: 'The registering partner (name or reference; optional)',
  sellers: 'Credited sellers by reference with split percentages: "S1:60;S2:40"; one seller alone may omit ":100"',
  overlays: 'Overlay participants by reference, separated by ";" (optional)',
  original_recognised_on: 'For credit notes and cancellations: the date of the sale refunded (clawback windows)',
  end_customer: 'End customer name (optional)',
  territory: 'Sales territory (optional)',
};

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .default(null);

/** "S1:60;S2:40" -> [{ref S1, splitBps 6000}, ...]; percentages may have two decimals and must sum to 100. */
export function parseSellerSplits(text: string): { ref: string; splitBps: number }[] | string {
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) return 'names no seller';
  const out: { ref: string; splitBps: number }[] = [];
  for (const part of parts) {
    const m = /^(.+?)(?::\s*(\d{1,3}(?:\.\d{1,2})?))?$/.exec(part);
    if (!m?.[1]) return `"${part}" is not REF or REF:PERCENT`;
    const ref = m[1].trim();
    if (m[2] === undefined && parts.length > 1) return `"${part}" needs a split percentage when several sellers share a deal`;
    const splitBps = m[2] === undefined ? 10_000 : Math.round(Number(m[2]) * 100);
    if (splitBps <= 0) return `"${part}" has a split of 0`;
    if (out.some((s) => s.ref === ref)) return `seller "${ref}" is named twice`;
    out.push({ ref, splitBps });
  }
  const total = out.reduce((a, s) => a + s.splitBps, 0);
  if (total !== 10_000) return `splits add up to ${total / 100}%, not 100%`;
  return out;
}

export const transactionRow = z
  .strictObject({
    transaction_id: z.string().trim().min(1, 'is required').max(120),
    kind: z.enum(transactionKinds, { message: `must be one of ${transactionKinds.join(', ')}` }),
    recognised_on: isoDate,
    amount: z.string().trim().min(1, 'is required').max(40),
    currency: z.string().trim().toUpperCase().pipe(currencyCode),
    product: optionalText(120),
    scenario: optionalText(60),
    segment: optionalText(60),
    sourcing: z
      .string()
      .trim()
      .transform((s) => (s === '' ? 'direct' : s))
      .pipe(sourcing)
      .default('direct'),
    partner: optionalText(200),
    sellers: z.string().trim().min(1, 'is required: who is credited').max(2000),
    overlays: optionalText(2000),
    original_recognised_on: z
      .string()
      .trim()
      .transform((s) => (s === '' ? null : s))
      .pipe(isoDate.nullable())
      .nullable()
      .default(null),
    end_customer: optionalText(200),
    territory: optionalText(120),
  })
  .transform((row, ctx) => {
    let failed = false;
    const problem = (path: string, message: string) => {
      ctx.addIssue({ code: 'custom', path: [path], message });
      failed = true;
    };
    let amountMinor = 0;
    try {
      amountMinor = parseMajorAmount(row.amount, row.currency);
    } catch (err) {
      problem('amount', err instanceof Error ? err.message : 'is not an amount');
    }
    const refund = row.kind === 'credit_note' || row.kind === 'cancellation';
    if (refund && amountMinor > 0) problem('amount', `a ${row.kind} is negative (it takes value back)`);
    if (!refund && amountMinor < 0) problem('amount', `a ${row.kind} cannot be negative; use credit_note`);
    const sellers = parseSellerSplits(row.sellers);
    if (typeof sellers === 'string') problem('sellers', sellers);
    if (row.sourcing !== 'direct' && row.partner === null) problem('partner', `is required for a ${row.sourcing.replace('_', '-')} deal`);
    if (failed || typeof sellers === 'string') return z.NEVER;
    const overlays = (row.overlays ?? '')
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return {
      transactionRef: row.transaction_id,
      kind: row.kind,
      recognisedOn: row.recognised_on,
      amountMinor,
      currency: row.currency,
      product: row.product,
      scenario: row.scenario,
      segment: row.segment,
      sourcing: row.sourcing,
      partnerRef: row.partner,
      sellers,
      overlayRefs: overlays,
      originalRecognisedOn: row.original_recognised_on,
      endCustomer: row.end_customer,
      territory: row.territory,
    };
  });

/** One transaction row, typed; participants and partners still by reference (the caller resolves them). */
export type TransactionRow = z.output<typeof transactionRow>;
