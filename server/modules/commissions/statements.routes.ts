import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { lineTransactionsPage, lineTransactionsQuery, statementQuery, statementView } from '../../../common/api/commissions-runs.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as statements from './statements.service.ts';

const tags = ['commissions'];

export async function statementsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/statements',
    {
      schema: {
        tags,
        summary: 'A participant’s statement of a run: per payout period, the payout lines with their explanation and credit buckets',
        description:
          'Participants see their own statement, managers their reports’; compensation administrators, finance and administrators every one. Default run: the latest completed.',
        querystring: statementQuery,
        response: { 200: statementView },
      },
    },
    async (request) => statements.getStatement(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/comp/statements/:runId/:participantId/lines/:index/transactions',
    {
      schema: {
        tags,
        summary: 'The sales transactions behind one statement line (its index in the statement), with the credit each gave',
        params: z.strictObject({ runId: z.uuid(), participantId: z.uuid(), index: z.coerce.number().int().min(0).max(100_000) }),
        querystring: lineTransactionsQuery,
        response: { 200: lineTransactionsPage },
      },
    },
    async (request) =>
      statements.lineTransactions(deps, actorOf(request), request.params.runId, request.params.participantId, request.params.index, request.query),
  );

  const fileParams = z.strictObject({ runId: z.uuid(), participantId: z.uuid() });
  const send = (reply: FastifyReply, file: statements.StatementFile) =>
    reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      .send(file.body);

  app.get(
    '/api/comp/statements/:runId/:participantId.csv',
    {
      schema: {
        tags,
        summary: 'A participant’s statement of a run as CSV: payout lines, adjustments and totals, amounts in major units',
        description:
          'The same visibility as the statement. The `section` column tells the rows apart: `payout_line`, `adjustment` (booked in the commission periods of the run’s dates: booked_on, period, kind, reference, amount, reason) and per currency `statement_total`, `adjustments_total`, `total_including_adjustments`. Text cells a spreadsheet would read as a formula start with an apostrophe.',
        params: fileParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => send(reply, await statements.statementAsCsv(deps, actorOf(request), request.params.runId, request.params.participantId)),
  );

  app.get(
    '/api/comp/statements/:runId/:participantId.pdf',
    {
      schema: {
        tags,
        summary:
          'A participant’s statement of a run as PDF: participant, run, totals with and without adjustments, per period the figures and payout lines, the adjustments',
        description: 'The same visibility as the statement.',
        params: fileParams,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) => send(reply, await statements.statementAsPdf(deps, actorOf(request), request.params.runId, request.params.participantId)),
  );
}
