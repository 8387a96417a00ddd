import type { FrictionRow } from '../../../../../../common/api/engagement-friction.ts';
import { formatMoney } from '../../../../../../common/money.ts';

export function hours(h: number | null): string {
  if (h === null) return '—';
  if (h >= 48) return `${(h / 24).toFixed(1)} d`;
  return `${h.toFixed(1)} h`;
}

export function percent(r: number | null): string {
  return r === null ? '—' : `${Math.round(r * 1000) / 10}%`;
}

export function groupLabel(row: FrictionRow): string {
  if (row.scenarioName && row.unit) return `${row.scenarioName} · ${row.unit}`;
  if (row.scenarioName) return row.scenarioName;
  if (row.unit) return row.unit;
  if (row.isRenewal !== null) return row.isRenewal ? 'Renewals' : 'Everything else';
  return 'All registrations';
}

/** Per currency, never added across currencies. */
export function values(row: FrictionRow, field: 'submittedMinor' | 'wonMinor'): string {
  if (row.values.length === 0) return '—';
  return row.values.map((v) => formatMoney({ amountMinor: v[field], currency: v.currency })).join(' · ');
}

export const stallLabels: Record<FrictionRow['stallReasons'][number], string> = {
  breach_rate: 'SLA breach rate above threshold',
  median_over_sla: 'Median response slower than the SLA',
  waiting_past_sla: 'Registrations waiting past their SLA',
};
