import { formatMoney, minorUnitDigits, parseMajorAmount } from '../../../../common/money.ts';

/**
 * Units of the plan model for people: rates and attainment are shown as percentages ("2.5 %"),
 * multipliers as "1.2 x", money as major units of the plan currency. The plan stores basis points
 * (10 000 bp = 100 % = 1 x) and integer minor units.
 */

/** Basis points to a percentage number: 250 -> 2.5. */
export const bpsToPercent = (bps: number): number => bps / 100;
/** A percentage number to basis points: 2.5 -> 250 (NaN stays NaN so validation reports it). */
export const percentToBps = (percent: number): number => (Number.isFinite(percent) ? Math.round(percent * 100) : Number.NaN);
/** Basis points to a multiplier number: 12000 -> 1.2. */
export const bpsToMultiplier = (bps: number): number => bps / 10_000;
export const multiplierToBps = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10_000) : Number.NaN);

const trim = (n: number, digits: number): string => {
  const text = n.toFixed(digits);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
};

/** "2.5 %" */
export function percentText(bps: number): string {
  return `${trim(bpsToPercent(bps), 2)} %`;
}

/** "1.2 x" */
export function multiplierText(bps: number): string {
  return `${trim(bpsToMultiplier(bps), 4)} x`;
}

/** "€1,200.00"; a currency that is not (yet) a valid code falls back to "1200.00 XYZ". */
export function moneyText(amountMinor: number, currency: string): string {
  try {
    return formatMoney({ amountMinor, currency });
  } catch {
    const digits = minorUnitDigits(currency);
    return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** Minor units to the major-unit number shown in an input: 123450 USD -> 1234.5. */
export function minorToMajor(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorUnitDigits(currency);
}

/** A major-unit number typed in an input to minor units, through common/money.ts; NaN when it is not an amount. */
export function majorToMinor(major: number, currency: string): number {
  if (!Number.isFinite(major)) return Number.NaN;
  try {
    return parseMajorAmount(major.toFixed(minorUnitDigits(currency)), currency);
  } catch {
    return Number.NaN;
  }
}

/** A path as the server and the summary show it: components[0].tiers[1].fromBps */
export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Any path the server may send (components.0.tiers.1, body.plan.components[0]…) in the form pathText makes. */
export function normalisePath(path: string): string {
  return path
    .replace(/^(body\.)?(plan|document)$/, '')
    .replace(/^(body\.)?(plan\.|document\.)?/, '')
    .replace(/\.(\d+)(?=\.|$)/g, '[$1]')
    .replace(/^(\d+)(?=\.|$)/, '[$1]');
}

/** Plan-model messages count in basis points of attainment; people read percentages. */
export function humaniseMessage(message: string): string {
  return message
    .replace(/(\d+)-(\d+) bp/g, (_, a: string, b: string) => `${percentText(Number(a))} to ${percentText(Number(b))}`)
    .replace(/(\d+) bp/g, (_, a: string) => percentText(Number(a)))
    .replace(/\(toBps: null\)/g, '(leave “to” empty)')
    .replace('perDealMinor or rateBps', 'an amount per deal or a rate')
    .replace(/^Invalid input: expected number, received NaN$/, 'enter a number')
    .replace(/^Invalid input: expected number, received null$/, 'enter a number');
}

export const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** The end (exclusive) of the payout period that starts on `start` (YYYY-MM-DD). */
export function periodEndOf(start: string, period: 'month' | 'quarter' | 'year'): string {
  const months = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, d));
  return date.toISOString().slice(0, 10);
}
