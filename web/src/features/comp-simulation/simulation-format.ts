import type { UserView } from '../../../../common/api/identity.ts';
import { formatMoney, minorUnitDigits } from '../../../../common/money.ts';

// Mirrors server/modules/commissions/simulation.policy.ts so the page only offers what the server allows.
export function canSimulate(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'comp_admin' || r === 'finance');
}

/** "$1,234.50" */
export function money(amountMinor: number, currency: string): string {
  return formatMoney({ amountMinor, currency });
}

/** "+$1,234.50" / "-$12.00" / "$0.00" */
export function signedMoney(amountMinor: number, currency: string): string {
  return amountMinor > 0 ? `+${money(amountMinor, currency)}` : money(amountMinor, currency);
}

/** Basis points as a percentage with two decimals; "n/a" when there is no ratio (nothing to divide by). */
export function percent(bps: number | null, signed = false): string {
  if (bps === null) return 'n/a';
  return `${signed && bps > 0 ? '+' : ''}${(bps / 100).toFixed(2)} %`;
}

/** Minor units as a major-unit number for a chart axis (charts plot numbers, tables show exact money). */
export function major(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** minorUnitDigits(currency);
}

/** Chart colours per plan, baseline first. */
export const planColours = ['gray.6', 'realign.7', 'teal.6', 'orange.6', 'grape.6', 'cyan.7'];

/** The period label of the quarter before the one `today` falls in: a sensible default ("2027-Q1"). */
export function previousQuarter(today: Date): string {
  const q = Math.floor(today.getMonth() / 3);
  return q === 0 ? `${today.getFullYear() - 1}-Q4` : `${today.getFullYear()}-Q${q}`;
}

/** A chart's major-unit number back to money text (tooltips and axes). */
export function chartMoney(value: number, currency: string): string {
  return money(Math.round(value * 10 ** minorUnitDigits(currency)), currency);
}

/** "$1.5K": short money for chart axes, where exact amounts would not fit (tables show them exactly). */
export function compactMoney(amountMinor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(major(amountMinor, currency));
}
