import { z } from 'zod';

/**
 * Money is an integer count of minor units (cents) in one ISO 4217 currency.
 * All arithmetic on amounts lives here: rounding happens once, at a named point, with a named mode.
 */
export type Money = { readonly amountMinor: number; readonly currency: string };

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
  .describe('ISO 4217 currency code');

export const amountMinor = z
  .number()
  .int('must be a whole number of minor units (cents)')
  .refine(Number.isSafeInteger, 'is too large')
  .describe('Amount in integer minor units (e.g. cents)');

export const money = z.object({ amountMinor, currency: currencyCode });

export const roundingModes = ['half_even', 'half_up', 'down', 'up'] as const;
export type RoundingMode = (typeof roundingModes)[number];

export class CurrencyMismatchError extends Error {
  constructor(a: string, b: string) {
    super(`cannot combine ${a} and ${b} amounts`);
  }
}

function checked(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount ${amount} is not a safe integer of minor units`);
  return { amountMinor: amount, currency };
}

export function moneyOf(amount: number, currency: string): Money {
  return checked(amount, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency);
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.amountMinor + b.amountMinor, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(a.amountMinor - b.amountMinor, a.currency);
}

export function sumMoney(items: readonly Money[], currency: string): Money {
  let total = 0;
  for (const m of items) {
    if (m.currency !== currency) throw new CurrencyMismatchError(currency, m.currency);
    total += m.amountMinor;
  }
  return checked(total, currency);
}

/** Integer division of numerator by a positive denominator, rounded with the given mode. */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const q = numerator / denominator; // truncates toward zero
  const r = numerator % denominator;
  if (r === 0n) return q;
  const sign = numerator < 0n ? -1n : 1n;
  const absR2 = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'down':
      return q;
    case 'up':
      return q + sign;
    case 'half_up':
      return absR2 >= denominator ? q + sign : q;
    case 'half_even':
      if (absR2 > denominator) return q + sign;
      if (absR2 < denominator) return q;
      return q % 2n === 0n ? q : q + sign;
  }
}

/** amount x numerator / denominator, exact until the one rounding step. */
export function multiplyByRatio(m: Money, numerator: number, denominator: number, mode: RoundingMode): Money {
  const result = divideRounded(BigInt(m.amountMinor) * BigInt(numerator), BigInt(denominator), mode);
  return checked(Number(result), m.currency);
}

/** A rate in basis points (1 bp = 0.01%) applied to an amount. */
export function applyBasisPoints(m: Money, basisPoints: number, mode: RoundingMode): Money {
  if (!Number.isInteger(basisPoints)) throw new RangeError('basis points must be an integer');
  return multiplyByRatio(m, basisPoints, 10_000, mode);
}

/**
 * Splits an amount in proportion to non-negative integer weights with the largest-remainder method:
 * the parts always add up to the whole; ties go to the earlier weight.
 */
export function allocate(m: Money, weights: readonly number[]): Money[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.some((w) => !Number.isInteger(w) || w < 0)) throw new RangeError('weights must be non-negative integers');
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) throw new RangeError('weights must not all be zero');
  const amount = BigInt(m.amountMinor);
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const bigTotal = BigInt(total);
  const parts = weights.map((w) => (abs * BigInt(w)) / bigTotal);
  const remainders = weights.map((w, i) => ({ i, r: (abs * BigInt(w)) % bigTotal }));
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = (parts[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return parts.map((p) => checked(Number(negative ? -p : p), m.currency));
}

const minorDigits: Record<string, number> = { JPY: 0, KRW: 0, BHD: 3, KWD: 3 };

export function minorUnitDigits(currency: string): number {
  return minorDigits[currency] ?? 2;
}

/** 123450 minor units in USD -> "1234.50" (exact, no floating point); the inverse of parseMajorAmount. */
export function formatMajorAmount(amountMinor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amountMinor < 0;
  const abs = (negative ? -BigInt(amountMinor) : BigInt(amountMinor)).toString().padStart(digits + 1, '0');
  const body = digits === 0 ? abs : `${abs.slice(0, abs.length - digits)}.${abs.slice(abs.length - digits)}`;
  return negative ? `-${body}` : body;
}

/** "1234.5" in USD -> 123450 minor units; rejects more decimals than the currency has. */
export function parseMajorAmount(text: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not an amount`);
  const frac = m[3] ?? '';
  if (frac.length > digits) throw new RangeError(`"${text}" has more than ${digits} decimals for ${currency}`);
  const minor = BigInt((m[2] ?? '0') + frac.padEnd(digits, '0'));
  const value = Number(m[1] ? -minor : minor);
  if (!Number.isSafeInteger(value)) throw new RangeError(`"${text}" is too large`);
  return value;
}

export function formatMoney(m: Money, locale = 'en-US'): string {
  const digits = minorUnitDigits(m.currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(m.amountMinor / 10 ** digits);
}
