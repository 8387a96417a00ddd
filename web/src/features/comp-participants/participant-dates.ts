import { formatDate } from '../../lib/format.ts';

/** "1 Jan 2027 – open-ended" for half-open [from, to) periods; a null start is "always". */
export function periodText(from: string | null, to: string | null): string {
  if (from === null && to === null) return 'Always';
  return `${from ? formatDate(from) : 'always'} – ${to ? `until ${formatDate(to)}` : 'open-ended'}`;
}

/** Whether a half-open [from, to) covers the day. */
export function covers(from: string | null, to: string | null, day: string): boolean {
  return (from === null || from <= day) && (to === null || day < to);
}
