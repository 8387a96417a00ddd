import { z } from 'zod';
import {
  apiTokenView,
  createApiTokenRequest,
  createdApiToken,
  createUserRequest,
  loginRequest,
  sessionView,
  setupRequest,
  setupStatus,
  updateUserRequest,
  userView,
} from '../../../common/api/identity.ts';
import { pageOf, pageQuery } from '../../../common/api/paging.ts';
import type { Deps } from '../../deps.ts';
import { actorOf, clearSessionCookie, clientOf, SESSION_COOKIE, setSessionCookie } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import { AppError } from '../../lib/errors.ts';
import * as identity from './identity.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['identity'];

export async function identityRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/setup',
    { config: { public: true }, schema: { tags, summary: 'Whether first-run setup is needed', response: { 200: setupStatus } } },
    async () => ({
      needsSetup: await identity.needsSetup(deps),
    }),
  );

  app.post(
    '/api/setup',
    { config: { public: true }, schema: { tags, summary: 'Create the first administrator and sign in', body: setupRequest, response: { 200: sessionView } } },
    async (request, reply) => {
      const signed = await identity.setupFirstAdmin(deps, request.body, clientOf(request));
      setSessionCookie(request, reply, signed.sessionToken, signed.expiresAt);
      return { user: signed.user, csrfToken: signed.csrfToken };
    },
  );

  app.post(
    '/api/auth/login',
    { config: { public: true }, schema: { tags, summary: 'Sign in with e-mail and password', body: loginRequest, response: { 200: sessionView } } },
    async (request, reply) => {
      const signed = await identity.login(deps, request.body, clientOf(request));
      setSessionCookie(request, reply, signed.sessionToken, signed.expiresAt);
      return { user: signed.user, csrfToken: signed.csrfToken };
    },
  );

  app.post('/api/auth/logout', { schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null() } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await identity.logout(deps, actorOf(request), token);
    clearSessionCookie(request, reply);
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', { schema: { tags, summary: 'The signed-in user', response: { 200: sessionView } } }, async (request) => {
    const actor = actorOf(request);
    const csrf = request.auth?.csrfToken;
    if (!csrf) throw new AppError('bad_request', 'API tokens have no session: use GET /api/users/{id} instead');
    return { user: await identity.currentUser(deps, actor), csrfToken: csrf };
  });

  app.get('/api/users', { schema: { tags, summary: 'List users', querystring: pageQuery, response: { 200: pageOf(userView) } } }, async (request) =>
    identity.listUsers(deps, actorOf(request), request.query),
  );

  app.post('/api/users', { schema: { tags, summary: 'Create a user', body: createUserRequest, response: { 201: userView } } }, async (request, reply) => {
    const user = await identity.createUser(deps, actorOf(request), request.body);
    return reply.status(201).send(user);
  });

  app.get('/api/users/:id', { schema: { tags, summary: 'One user', params: idParams, response: { 200: userView } } }, async (request) =>
    identity.getUser(deps, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/users/:id',
    { schema: { tags, summary: 'Change a user', params: idParams, body: updateUserRequest, response: { 200: userView } } },
    async (request) => identity.updateUser(deps, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/api-tokens',
    { schema: { tags, summary: 'My API tokens', response: { 200: z.object({ items: z.array(apiTokenView) }) } } },
    async (request) => ({
      items: await identity.listApiTokens(deps, actorOf(request)),
    }),
  );

  app.post(
    '/api/api-tokens',
    { schema: { tags, summary: 'Create an API token (shown once)', body: createApiTokenRequest, response: { 201: createdApiToken } } },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.via === 'token') throw new AppError('forbidden', 'API tokens cannot create API tokens; sign in to the web app');
      return reply.status(201).send(await identity.createApiToken(deps, actor, request.body));
    },
  );

  app.delete(
    '/api/api-tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await identity.revokeApiToken(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
