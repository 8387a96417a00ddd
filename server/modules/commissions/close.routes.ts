import { z } from 'zod';
import {
  closeCommissionPeriodRequest,
  commissionAdjustmentView,
  commissionPeriodListQuery,
  commissionPeriodView,
  createCommissionPeriodRequest,
  restateCommissionPeriodRequest,
  restatementView,
} from '../../../common/api/commissions-close.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as close from './close.service.ts';

const tags = ['commissions'];
const params = z.strictObject({ id: z.uuid() });

export async function closeRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/periods',
    {
      schema: {
        tags,
        summary: 'Commission periods, newest first, with their versions and payout approval',
        querystring: commissionPeriodListQuery,
        response: { 200: z.object({ items: z.array(commissionPeriodView), total: z.number().int() }) },
      },
    },
    async (request) => close.listPeriods(deps, actorOf(request), request.query),
  );

  app.get('/api/comp/periods/:id', { schema: { tags, summary: 'One commission period', params, response: { 200: commissionPeriodView } } }, async (request) =>
    close.getPeriod(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/comp/periods',
    {
      schema: {
        tags,
        summary: 'Open a commission period (no two periods overlap)',
        body: createCommissionPeriodRequest,
        response: { 201: commissionPeriodView },
      },
    },
    async (request, reply) => reply.status(201).send(await close.createPeriod(deps, actorOf(request), request.body)),
  );

  app.post(
    '/api/comp/periods/:id/close',
    {
      schema: {
        tags,
        summary: 'Close a period from a completed run over its dates: its results become the official, frozen results (version 1)',
        description:
          'Once closed, the database refuses any change to the period, its versions and the results of their runs. Compensation administrators, finance and administrators.',
        params,
        body: closeCommissionPeriodRequest,
        response: { 200: commissionPeriodView },
      },
    },
    async (request) => close.closePeriod(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/periods/:id/restate',
    {
      schema: {
        tags,
        summary: 'Restate a closed period from a later completed run: the next version, its difference booked as adjustments in the next open period',
        params,
        body: restateCommissionPeriodRequest,
        response: { 200: restatementView },
      },
    },
    async (request) => close.restatePeriod(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/periods/:id/approve',
    {
      schema: {
        tags,
        summary: "Approve a closed period's payouts (finance, administrators); once",
        params,
        body: z.strictObject({}).optional(),
        response: { 200: commissionPeriodView },
      },
    },
    async (request) => close.approvePayouts(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/comp/periods/:id/adjustments',
    {
      schema: {
        tags,
        summary: 'Adjustments booked in a period by restatements of earlier periods',
        params,
        response: { 200: z.object({ items: z.array(commissionAdjustmentView) }) },
      },
    },
    async (request) => ({ items: await close.adjustmentsOf(deps, actorOf(request), request.params.id) }),
  );

  app.get(
    '/api/comp/periods/:id/payroll.csv',
    {
      schema: {
        tags,
        summary: 'Payroll export of the approved payouts of a closed period (CSV, amounts in major units)',
        params,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const file = await close.payrollCsv(deps, actorOf(request), request.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
}
