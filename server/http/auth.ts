import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../actor.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../lib/errors.ts';
import { authenticateApiToken, authenticateSession, type Authenticated } from '../modules/identity/identity.service.ts';

export const SESSION_COOKIE = 'realign_session';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. Every such route is listed in the route-table test. */
    public?: boolean;
    /**
     * A POST that changes nothing (a calculation whose input does not fit a query string): it writes
     * no audit entry. Every such route is listed in the route-table test, which checks it writes none.
     */
    readOnly?: boolean;
  }
}

export function installAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const requestId = String(request.id);
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      request.auth = await authenticateApiToken(deps, header.slice(7).trim(), requestId);
      if (!request.auth) throw new AppError('unauthenticated', 'The API token is unknown, expired or revoked');
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) request.auth = await authenticateSession(deps, token, requestId);
    }
    if (isPublicRoute(request.routeOptions.url ?? request.url, request.routeOptions.config.public)) return;
    if (!request.auth) throw new AppError('unauthenticated', 'Sign in first: this needs a session or an API token');
    if (MUTATING.has(request.method)) {
      if (request.auth.actor.via === 'session') {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || sent !== request.auth.csrfToken) {
          throw new AppError('csrf_failed', 'This change needs the x-csrf-token header of your session');
        }
      } else if (!request.auth.scopes.includes('write')) {
        throw new AppError('forbidden', 'This API token is read-only');
      }
    }
  });
}

/**
 * Public by design: routes marked `config.public`, the API docs, and everything outside /api/
 * (health checks, metrics, the web app's static files). Everything else under /api/ needs a sign-in.
 */
export function isPublicRoute(url: string, markedPublic: boolean | undefined): boolean {
  return markedPublic === true || url === '/api/docs' || url.startsWith('/api/docs/') || !url.startsWith('/api/');
}

export function actorOf(request: FastifyRequest): UserActor {
  if (!request.auth) throw new AppError('unauthenticated', 'Sign in first');
  return request.auth.actor;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}

export function clientOf(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) };
}
