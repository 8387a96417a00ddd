import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from './deps.ts';
import { installAuth } from './http/auth.ts';
import { installErrorHandler, problemOf, sendProblem } from './http/error-handler.ts';
import { opsRoutes } from './http/ops.ts';
import { registerModuleRoutes } from './http/routes.ts';
import { newId, uuidPattern } from './lib/ids.ts';

export type AppOptions = {
  /** Serve the built web app from config.webDist (production). Tests of the API leave it off. */
  serveWeb?: boolean;
  /** Called for every route as it is registered: the route-table test reads the whole table this way. */
  onRoute?: (route: { method: string | string[]; url: string; config: unknown }) => void;
};

/** Builds the HTTP app; it never listens (main.ts does, tests inject). */
export async function buildApp(deps: Deps, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.config.http.bodyLimitBytes,
    trustProxy: deps.config.http.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  // An incoming x-request-id is kept only when it is a UUID; anything else is replaced.
  app.addHook('onRequest', async (request, reply) => {
    if (!uuidPattern.test(String(request.id))) (request as { id: string }).id = newId();
    void reply.header('x-request-id', request.id);
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, { notFound: !options.serveWeb });
  if (options.onRoute) app.addHook('onRoute', (r) => options.onRoute?.({ method: r.method, url: r.url, config: r.config }));

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Realign API', version: '0.1.0', description: 'Run a channel realignment end to end. Errors are RFC 9457 problem details.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'realign_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  installAuth(app, deps);
  await opsRoutes(app, deps);
  await registerModuleRoutes(app, deps);

  if (options.serveWeb) await serveWeb(app, deps.config.webDist);
  return app;
}

async function serveWeb(app: FastifyInstance, webDist: string): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    app.log.warn({ webDist }, 'the web app is not built: run npm run build:web');
    return;
  }
  await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  // Client-side routes fall back to index.html; unknown API paths stay problem+json 404s.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (request.method === 'GET' && !url.startsWith('/api/') && !path.extname(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, problemOf('not_found', `No route ${request.method} ${url}`, String(request.id)));
  });
}
