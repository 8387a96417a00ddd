import { isApiError } from '../../../lib/api-client.ts';

/**
 * The server's field issues keyed by request-body field ("body.partnerId" becomes "partnerId"),
 * so a form can show each message under its own input.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!isApiError(error)) return {};
  const out: Record<string, string> = {};
  for (const issue of error.problem.issues ?? []) {
    const m = /^body\.([A-Za-z0-9_]+)/.exec(issue.path);
    const key = m?.[1];
    if (key && !(key in out)) out[key] = issue.message;
  }
  return out;
}
