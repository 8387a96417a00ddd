import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  disputeRequest,
  documentParams,
  myCompPlanView,
  planDocumentView,
  recipientListQuery,
  recipientPage,
  recipientView,
  resolveDisputeRequest,
  rolloutDashboard,
  rolloutListQuery,
  rolloutPage,
  rolloutSummary,
  updateRolloutRequest,
} from '../../../common/api/comp-rollout.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as rollout from './rollout.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['comp-plans'];
const downloadQuery = z.strictObject({ download: z.enum(['0', '1']).optional().describe('1: as an attachment instead of inline') });

function sendDocument(reply: FastifyReply, doc: rollout.RenderedDocument, download: boolean) {
  return reply
    .header('content-type', doc.contentType)
    .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${doc.fileName}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
    .send(doc.body);
}

export async function rolloutRoutes(app: ZodApp, deps: Deps): Promise<void> {
  // Plan documents
  app.get(
    '/api/comp/documents/:versionId/participants/:participantId',
    {
      schema: {
        tags,
        summary: 'The plan document of a participant for a plan version, as data: components, rates, quota, examples, terms',
        description: 'A participant reads only their own (published versions); compensation administrators, finance and leadership read all.',
        params: documentParams,
        response: { 200: planDocumentView },
      },
    },
    async (request) => rollout.getPlanDocument(deps, actorOf(request), request.params.versionId, request.params.participantId),
  );
  app.get(
    '/api/comp/documents/:versionId/participants/:participantId.html',
    {
      schema: {
        tags,
        summary: 'The plan document as a standalone, printable HTML page',
        params: documentParams,
        querystring: downloadQuery,
        produces: ['text/html'],
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await rollout.planDocumentAsHtml(deps, actorOf(request), request.params.versionId, request.params.participantId),
        request.query.download === '1',
      ),
  );
  app.get(
    '/api/comp/documents/:versionId/participants/:participantId.pdf',
    {
      schema: {
        tags,
        summary: 'The plan document as a PDF',
        params: documentParams,
        querystring: downloadQuery,
        produces: ['application/pdf'],
      },
    },
    async (request, reply) =>
      sendDocument(
        reply,
        await rollout.planDocumentAsPdf(deps, actorOf(request), request.params.versionId, request.params.participantId),
        request.query.download === '1',
      ),
  );

  // My comp plan
  app.get(
    '/api/comp/my-plan',
    { schema: { tags, summary: 'The plans sent to me for acknowledgement, the running rollouts first', response: { 200: myCompPlanView } } },
    async (request) => rollout.myCompPlan(deps, actorOf(request)),
  );
  app.post(
    '/api/comp/rollout-recipients/:id/open',
    {
      schema: { tags, summary: 'Mark my plan opened (the plan page does this when it shows the document)', params: idParams, response: { 200: recipientView } },
    },
    async (request) => rollout.openPlan(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/comp/rollout-recipients/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge my plan: I have read it and accept it', params: idParams, response: { 200: recipientView } } },
    async (request) => rollout.acknowledgePlan(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/comp/rollout-recipients/:id/dispute',
    { schema: { tags, summary: 'Dispute my plan with a comment', params: idParams, body: disputeRequest, response: { 200: recipientView } } },
    async (request) => rollout.disputePlan(deps, actorOf(request), request.params.id, request.body.comment),
  );
  app.post(
    '/api/comp/rollout-recipients/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Answer a dispute: the comment goes to the participant and the plan is sent to them again',
        params: idParams,
        body: resolveDisputeRequest,
        response: { 200: recipientView },
      },
    },
    async (request) => rollout.resolveDispute(deps, actorOf(request), request.params.id, request.body.comment),
  );

  // Rollout dashboards
  app.get(
    '/api/comp/rollouts',
    {
      schema: {
        tags,
        summary: 'Rollouts of published plan versions, newest first, with their clock and counts',
        querystring: rolloutListQuery,
        response: { 200: rolloutPage },
      },
    },
    async (request) => rollout.listRollouts(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/comp/rollouts/:id',
    {
      schema: {
        tags,
        summary: 'A rollout: the clock, counts of sent, opened, acknowledged, disputed and overdue overall and by team, open disputes',
        params: idParams,
        response: { 200: rolloutDashboard },
      },
    },
    async (request) => rollout.getRolloutDashboard(deps, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/comp/rollouts/:id',
    {
      schema: {
        tags,
        summary: 'Change the deadline, the reminder interval or the escalation threshold of a running rollout',
        params: idParams,
        body: updateRolloutRequest,
        response: { 200: rolloutSummary },
      },
    },
    async (request) => rollout.updateRollout(deps, actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/comp/rollouts/:id/recipients',
    {
      schema: {
        tags,
        summary: 'The recipients of a rollout with their status; filter by status (or overdue), team and name',
        params: idParams,
        querystring: recipientListQuery,
        response: { 200: recipientPage },
      },
    },
    async (request) => rollout.listRolloutRecipients(deps, actorOf(request), request.params.id, request.query),
  );
}
