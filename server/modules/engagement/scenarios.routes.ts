import { z } from 'zod';
import { createScenarioRequest, scenarioListQuery, scenarioView, updateScenarioRequest } from '../../../common/api/engagement-scenarios.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as scenarios from './scenarios.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['engagement'];

export async function scenariosRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/scenarios',
    {
      schema: {
        tags,
        summary: 'The scenario taxonomy (active scenarios; inactive ones too for those who keep it)',
        querystring: scenarioListQuery,
        response: { 200: z.object({ items: z.array(scenarioView) }) },
      },
    },
    async (request) => ({ items: await scenarios.listScenarios(deps, actorOf(request), request.query) }),
  );
  app.get('/api/scenarios/:id', { schema: { tags, summary: 'One scenario', params: idParams, response: { 200: scenarioView } } }, async (request) =>
    scenarios.getScenario(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/scenarios',
    { schema: { tags, summary: 'Add a scenario', body: createScenarioRequest, response: { 201: scenarioView } } },
    async (request, reply) => reply.status(201).send(await scenarios.createScenario(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/scenarios/:id',
    {
      schema: {
        tags,
        summary: 'Change, deactivate or reactivate a scenario (the key is fixed once a registration uses it)',
        params: idParams,
        body: updateScenarioRequest,
        response: { 200: scenarioView },
      },
    },
    async (request) => scenarios.updateScenario(deps, actorOf(request), request.params.id, request.body),
  );
}
