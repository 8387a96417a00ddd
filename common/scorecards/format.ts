import { formatMoney, minorUnitDigits } from '../money.ts';
import type { MetricUnit } from './metric.ts';
import type { ScoreStatus } from './scoring.ts';

/** How a metric value reads in a scorecard (web, PDF, exports): one place, so they agree. */
export function formatMetricValue(value: number | null, unit: MetricUnit, currency: string | null): string {
  if (value === null) return '—';
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)}%`;
    case 'money':
      return formatMoney({ amountMinor: Math.round(value), currency: currency ?? 'USD' });
    case 'days':
      return `${Number.isInteger(value) ? value : value.toFixed(1)} d`;
    case 'count':
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
    default:
      return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
  }
}

/** A money value in major units (exports write numbers a spreadsheet can add up). */
export function majorUnits(value: number, currency: string | null): number {
  const digits = minorUnitDigits(currency ?? 'USD');
  return Math.round(value) / 10 ** digits;
}

export function formatScore(score: number | null): string {
  return score === null ? '—' : score.toFixed(2);
}

export const statusLabels: Record<ScoreStatus, string> = { green: 'Green', amber: 'Amber', red: 'Red', no_data: 'No data' };
