import type { Problem } from '../../../common/errors.ts';

/** An API call that came back with a problem+json body (or failed to reach the server). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
  get code(): Problem['code'] {
    return this.problem.code;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** The message to show a person for any error thrown by a fetcher. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    const issues = error.problem.issues ?? [];
    if (issues.length > 0) return `${error.problem.detail} ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`;
    return error.problem.detail || error.problem.title;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

// The CSRF token of the current session: set from every SessionView the server returns
// (login, setup, me) and cleared on logout or 401, so mutating calls can echo it back.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const mutatingMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Unauthenticated = () => void;
let onUnauthenticated: Unauthenticated | null = null;

/** Registered once by the app: what to do when any call answers 401. */
export function setUnauthenticatedHandler(handler: Unauthenticated | null): void {
  onUnauthenticated = handler;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not trigger the global "go to login" reaction on 401 (login, me). */
  quietUnauthenticated?: boolean;
}

async function toProblem(response: Response): Promise<Problem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await response.json()) as Partial<Problem>;
      if (body && typeof body === 'object' && typeof body.status === 'number') {
        return {
          type: body.type ?? 'about:blank',
          title: body.title ?? response.statusText,
          status: body.status,
          code: body.code ?? 'internal',
          detail: body.detail ?? body.title ?? response.statusText,
          requestId: body.requestId,
          issues: body.issues,
        };
      }
    } catch {
      // fall through to the generic problem below
    }
  }
  return {
    type: 'about:blank',
    title: response.statusText || 'Error',
    status: response.status,
    code: response.status >= 500 ? 'unavailable' : 'bad_request',
    detail: `The server answered ${response.status} ${response.statusText}.`.trim(),
  };
}

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (mutatingMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      code: 'unavailable',
      detail: 'The server could not be reached. Check your connection and try again.',
    });
  }

  if (!response.ok) {
    const problem = await toProblem(response);
    if (problem.status === 401 && !options.quietUnauthenticated) {
      setCsrfToken(null);
      onUnauthenticated?.();
    }
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => apiRequest<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};
