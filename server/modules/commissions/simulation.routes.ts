import { z } from 'zod';
import { createSimulationRequest, simulationListQuery, simulationPage, simulationView } from '../../../common/api/comp-simulation.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as simulation from './simulation.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['commissions'];

export async function simulationRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.post(
    '/api/comp/simulations',
    {
      schema: {
        tags,
        summary: 'Simulate candidate plan versions against a baseline on the stored transactions of a period',
        description: [
          'Runs the baseline and each candidate plan version (draft or published) over the stored transactions of a year, quarter or month',
          '(and the part of its fiscal year before it, for year-to-date windows and draws), and compares every participant’s earnings.',
          'The numbers are those of `realign comp simulate` on the same data. The result is stored and can be reopened.',
          `Refused with 413 when the window holds more transactions than the setting ${simulation.MAX_TRANSACTIONS_SETTING} allows (default ${simulation.DEFAULT_MAX_TRANSACTIONS}).`,
          'Compensation administrators, administrators and finance.',
        ].join(' '),
        body: createSimulationRequest,
        response: { 201: simulationView },
      },
    },
    async (request, reply) => reply.status(201).send(await simulation.createSimulation(deps, actorOf(request), request.body)),
  );

  app.get(
    '/api/comp/simulations',
    {
      schema: {
        tags,
        summary: 'Simulations run so far, newest first (without their results)',
        querystring: simulationListQuery,
        response: { 200: simulationPage },
      },
    },
    async (request) => simulation.listSimulations(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/comp/simulations/:id',
    { schema: { tags, summary: 'One simulation with its result', params: idParams, response: { 200: simulationView } } },
    async (request) => simulation.getSimulation(deps, actorOf(request), request.params.id),
  );
}
