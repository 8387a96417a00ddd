const locale = typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';

const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
const regionNames = (() => {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' });
  } catch {
    return null;
  }
})();

function toDate(value: string | Date): Date | null {
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = toDate(value);
  return d ? dateTime.format(d) : value;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const d = toDate(value.length === 10 ? `${value}T00:00:00` : value);
  return d ? dateOnly.format(d) : value;
}

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago" relative to `now` (passed in so callers control the clock). */
export function formatRelative(value: string, now: Date = new Date()): string {
  const d = toDate(value);
  if (!d) return value;
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(0, 'minute');
}

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatCountry(code: string | null | undefined): string {
  if (!code) return '—';
  return regionNames?.of(code) ?? code;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase() || '?';
}
