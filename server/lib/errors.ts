import type { ErrorCode, ProblemIssue } from '../../common/errors.ts';

/** The one error class: transport-agnostic, with a stable code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: { issues?: ProblemIssue[]; retryAfterSeconds?: number } | undefined;
  constructor(code: ErrorCode, message: string, details?: AppError['details']) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export const httpStatusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  csrf_failed: 403,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  locked: 423,
  setup_done: 409,
  internal: 500,
  unavailable: 503,
};

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} was not found`);
}

export function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', `${path}: ${message}`, { issues: [{ path, message }] });
}
