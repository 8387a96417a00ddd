import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ErrorCode, Problem, ProblemIssue } from '../../common/errors.ts';
import { AppError, httpStatusByCode } from '../lib/errors.ts';

const titles: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  validation_failed: 'Validation failed',
  unauthenticated: 'Sign-in required',
  csrf_failed: 'Missing or wrong CSRF token',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Request too large',
  rate_limited: 'Too many requests',
  locked: 'Locked',
  setup_done: 'Already set up',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

export function problemOf(code: ErrorCode, detail: string, requestId: string, issues?: ProblemIssue[], status?: number): Problem {
  return {
    type: `https://realign.invalid/problems/${code.replaceAll('_', '-')}`,
    title: titles[code],
    status: status ?? httpStatusByCode[code],
    code,
    detail,
    requestId,
    ...(issues && issues.length > 0 ? { issues } : {}),
  };
}

function jsonPath(context: string | undefined, instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  let out = context ?? 'body';
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : `.${p}`;
  return out;
}

type PgError = { code?: string; constraint?: string; detail?: string; column?: string; table?: string };

/** Safety net for database errors a service did not turn into AppErrors itself. */
function fromDatabase(err: PgError): AppError | undefined {
  if (typeof err.code !== 'string' || !/^[0-9A-Z]{5}$/.test(err.code)) return undefined;
  // Row-level security refused the row: to the caller it does not exist.
  if (err.code === '42501') return new AppError('not_found', 'The record was not found');
  if (err.code === '23505') return new AppError('conflict', 'A record with the same identifying values already exists');
  if (err.code === '23503')
    return new AppError('validation_failed', 'A referenced record does not exist', {
      issues: [{ path: err.column ?? err.constraint ?? 'body', message: 'refers to a record that does not exist' }],
    });
  if (err.code === '23514' || err.code === '23502') {
    return new AppError('validation_failed', `A value breaks the rule ${err.constraint ?? err.column ?? ''}`.trim(), {
      issues: [{ path: err.column ?? err.constraint ?? 'body', message: 'is not allowed' }],
    });
  }
  if (err.code.startsWith('22')) return new AppError('validation_failed', 'A value is out of range or malformed');
  if (err.code === '40001' || err.code === '40P01') return new AppError('conflict', 'The request collided with another change; try again');
  if (err.code.startsWith('08') || err.code === '57P01' || err.code === '57P03') return new AppError('unavailable', 'The database is not reachable right now');
  return undefined;
}

export function sendProblem(reply: FastifyReply, problem: Problem, retryAfterSeconds?: number): FastifyReply {
  if (retryAfterSeconds) void reply.header('retry-after', String(retryAfterSeconds));
  return reply.status(problem.status).type('application/problem+json').send(problem);
}

/**
 * `notFound: false` leaves the not-found handler to the caller: Fastify allows one per prefix, and
 * serving the web app installs its own (client-side routes fall back to index.html).
 */
export function installErrorHandler(app: FastifyInstance, options: { notFound?: boolean } = {}): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const rid = String(request.id);
    if (error instanceof AppError) {
      if (error.code === 'internal') request.log.error({ err: error }, 'internal error');
      return sendProblem(reply, problemOf(error.code, error.message, rid, error.details?.issues), error.details?.retryAfterSeconds);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext;
      const issues = error.validation.flatMap((v) => {
        // An unknown field is reported on the object holding it; name the field itself instead.
        const keys = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: unknown }).keys : undefined;
        if (Array.isArray(keys) && keys.length > 0) {
          return keys.map((k) => ({ path: jsonPath(context, `${v.instancePath}/${String(k)}`), message: 'is not a known field' }));
        }
        return [{ path: jsonPath(context, v.instancePath), message: v.message ?? 'is invalid' }];
      });
      const detail = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return sendProblem(reply, problemOf('validation_failed', detail, rid, issues));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendProblem(
        reply,
        problemOf('payload_too_large', `The request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 'the server'} bytes`, rid),
      );
    }
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return sendProblem(reply, problemOf('bad_request', `The body is not valid JSON: ${error.message}`, rid));
    }
    const db = fromDatabase(error);
    if (db) return sendProblem(reply, problemOf(db.code, db.message, rid, db.details?.issues));
    const status = error.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return sendProblem(reply, problemOf('bad_request', error.message, rid, undefined, status));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemOf('internal', `Something went wrong on our side. Quote request id ${rid} when you report it.`, rid));
  });

  if (options.notFound === false) return;
  app.setNotFoundHandler((request, reply) => {
    sendProblem(reply, problemOf('not_found', `No route ${request.method} ${request.url.split('?')[0]}`, String(request.id)));
  });
}
