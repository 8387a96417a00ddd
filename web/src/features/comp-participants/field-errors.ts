import { isApiError } from '../../lib/api-client.ts';

/** The server's problems of a request, by field (body.effectiveFrom -> effectiveFrom), joined for a field's error slot. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.problem.issues ?? []) {
    const field = issue.path.replace(/^body\./, '');
    out[field] = out[field] ? `${out[field]}; ${issue.message}` : issue.message;
  }
  return out;
}

/** Today in the browser's calendar, YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
