import type { NumberRow } from '../../../common/api/scorecard-number.ts';
import { addMoney, moneyOf, multiplyByRatio, subtractMoney, sumMoney } from '../../../common/money.ts';
import { daysBetween } from '../../../common/dates.ts';

/**
 * "Making the number", pure: prorating quotas to the period and deriving gap and coverage.
 *
 * - A quota row overlapping the period counts for the share of its days inside the period
 *   (amount x overlap days / quota days, rounded half-even once per quota row).
 * - gap = max(0, quota - booked); coverage = open pipeline / gap; partner coverage = partner open
 *   pipeline / gap (above 1: partner deals alone could close the gap); gap after commit =
 *   max(0, gap - every commit deal, direct and partner). No quota: no gap, no coverage.
 */

export type QuotaRow = { subjectId: string; amountMinor: number; periodStart: string; periodEnd: string };

export function proratedQuota(rows: readonly QuotaRow[], from: string, to: string, currency: string): Map<string, number> {
  const parts = new Map<string, ReturnType<typeof moneyOf>[]>();
  for (const q of rows) {
    const start = q.periodStart > from ? q.periodStart : from;
    const end = q.periodEnd < to ? q.periodEnd : to;
    const overlap = daysBetween(start, end);
    const days = daysBetween(q.periodStart, q.periodEnd);
    if (overlap <= 0 || days <= 0) continue;
    const share = overlap === days ? moneyOf(q.amountMinor, currency) : multiplyByRatio(moneyOf(q.amountMinor, currency), overlap, days, 'half_even');
    parts.set(q.subjectId, [...(parts.get(q.subjectId) ?? []), share]);
  }
  return new Map([...parts].map(([id, ms]) => [id, sumMoney(ms, currency).amountMinor]));
}

export type NumberInput = {
  subjectId: string;
  label: string;
  quotaMinor: number | null;
  bookedMinor: number;
  direct: NumberRow['direct'];
  partner: NumberRow['partner'];
};

const total = (c: NumberRow['direct']) => c.commit + c.bestCase + c.pipeline;

export function deriveNumberRow(i: NumberInput, currency: string): NumberRow {
  const m = (n: number) => moneyOf(Math.round(n), currency);
  const open = addMoney(m(total(i.direct)), m(total(i.partner))).amountMinor;
  const gap = i.quotaMinor === null ? null : Math.max(0, subtractMoney(m(i.quotaMinor), m(i.bookedMinor)).amountMinor);
  const commit = addMoney(m(i.direct.commit), m(i.partner.commit)).amountMinor;
  return {
    ...i,
    attainment: i.quotaMinor ? i.bookedMinor / i.quotaMinor : null,
    openMinor: open,
    gapMinor: gap,
    coverage: gap ? open / gap : null,
    partnerCoverage: gap ? total(i.partner) / gap : null,
    gapAfterCommit: gap === null ? null : Math.max(0, subtractMoney(m(gap), m(commit)).amountMinor),
  };
}

/** Largest gap first; subjects without a quota after those with one; then by name. */
export function byGap(a: NumberRow, b: NumberRow): number {
  return (b.gapMinor ?? -1) - (a.gapMinor ?? -1) || a.label.localeCompare(b.label);
}
