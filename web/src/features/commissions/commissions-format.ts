import type { UserView } from '../../../../common/api/identity.ts';

// Mirrors server/modules/commissions/transactions.policy.ts and runs.service.ts canManageRuns.
export function canManageCommissions(user: Pick<UserView, 'roles' | 'partnerId'>): boolean {
  return user.partnerId === null && user.roles.some((r) => r === 'admin' || r === 'comp_admin' || r === 'finance');
}

export type PeriodKind = 'month' | 'quarter' | 'year';

function iso(year: number, month0: number): string {
  const y = year + Math.floor(month0 / 12);
  const m = ((month0 % 12) + 12) % 12;
  return `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The half-open [periodStart, periodEnd) of a calendar period: `index` is the month (1-12) or the
 * quarter (1-4); ignored for a year.
 */
export function periodRange(kind: PeriodKind, year: number, index: number): { periodStart: string; periodEnd: string } {
  if (kind === 'year') return { periodStart: iso(year, 0), periodEnd: iso(year + 1, 0) };
  if (kind === 'quarter') return { periodStart: iso(year, (index - 1) * 3), periodEnd: iso(year, index * 3) };
  return { periodStart: iso(year, index - 1), periodEnd: iso(year, index) };
}

/** "2027-01-01 – 2027-04-01" as a readable period: "Q1 2027", "Jan 2027", "2027", or the dates. */
export function periodLabel(periodStart: string, periodEnd: string): string {
  const [ys, ms] = periodStart.split('-').map(Number);
  const [ye, me] = periodEnd.split('-').map(Number);
  if (!ys || !ms || !ye || !me || !periodStart.endsWith('-01') || !periodEnd.endsWith('-01')) return `${periodStart} to ${periodEnd}`;
  const months = (ye - ys) * 12 + (me - ms);
  if (months === 12 && ms === 1) return String(ys);
  if (months === 3 && (ms - 1) % 3 === 0) return `Q${(ms - 1) / 3 + 1} ${ys}`;
  if (months === 1) return new Date(Date.UTC(ys, ms - 1, 1)).toLocaleString('en', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${periodStart} to ${periodEnd}`;
}

/** Progress as a percentage for a progress bar (0 when nothing is known yet). */
export function progressPercent(p: { done: number; total: number }): number {
  return p.total <= 0 ? 0 : Math.min(100, Math.round((p.done / p.total) * 100));
}
