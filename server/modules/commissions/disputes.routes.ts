import { z } from 'zod';
import {
  assignDisputeRequest,
  commentDisputeRequest,
  disputeAssignee,
  disputeDetail,
  disputeList,
  disputeListQuery,
  linkDisputeRequest,
  openDisputeRequest,
  rejectDisputeRequest,
  resolveDisputeRequest,
  transitionDisputeRequest,
} from '../../../common/api/commissions-disputes.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as disputes from './disputes.service.ts';

const tags = ['commissions'];
const params = z.strictObject({ id: z.uuid() });
const detail = { 200: disputeDetail };

export async function disputesRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/disputes',
    {
      schema: {
        tags,
        summary: 'Disputes the caller may read, most recently changed first',
        description:
          "Compensation administrators and finance read every case; others their own, their team's and those assigned to them; channel managers also every case with a partner side; partner users their own partner's cases, in the partner view (no pay).",
        querystring: disputeListQuery,
        response: { 200: disputeList },
      },
    },
    async (request) => disputes.listDisputes(deps, actorOf(request), request.query),
  );

  app.get(
    '/api/comp/disputes/assignees',
    { schema: { tags, summary: 'Internal users a dispute can be assigned to', response: { 200: z.object({ items: z.array(disputeAssignee) }) } } },
    async (request) => ({ items: await disputes.listAssignees(deps, actorOf(request)) }),
  );

  app.get('/api/comp/disputes/:id', { schema: { tags, summary: 'One dispute with its history', params, response: detail } }, async (request) =>
    disputes.getDispute(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/comp/disputes',
    {
      schema: {
        tags,
        summary: 'Open a dispute on a statement line or a deal (sellers), or on the credit of an own registration (partner users)',
        body: openDisputeRequest,
        response: { 201: disputeDetail },
      },
    },
    async (request, reply) => reply.status(201).send(await disputes.openDispute(deps, actorOf(request), request.body)),
  );

  app.post(
    '/api/comp/disputes/:id/assign',
    { schema: { tags, summary: 'Assign a dispute to an internal user', params, body: assignDisputeRequest, response: detail } },
    async (request) => disputes.assignDispute(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/disputes/:id/comments',
    {
      schema: {
        tags,
        summary: 'Comment on a dispute (internal comments are never shown to partner users)',
        params,
        body: commentDisputeRequest,
        response: detail,
      },
    },
    async (request) => disputes.commentOnDispute(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/disputes/:id/link',
    {
      schema: {
        tags,
        summary: 'Add the other side to a case: a registration, a statement line or deal, or another open case (merged into this one)',
        params,
        body: linkDisputeRequest,
        response: detail,
      },
    },
    async (request) => disputes.linkToDispute(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/disputes/:id/transition',
    { schema: { tags, summary: 'Start reviewing a dispute, or reopen a decided one', params, body: transitionDisputeRequest, response: detail } },
    async (request) => disputes.transitionDispute(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/disputes/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a dispute, optionally booking an adjustment in an open commission period',
        description: "The adjustment is in the participant's plan currency; a closed period is refused. Once per case: a second resolve answers 409.",
        params,
        body: resolveDisputeRequest,
        response: detail,
      },
    },
    async (request) => disputes.resolveDispute(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/comp/disputes/:id/reject',
    { schema: { tags, summary: 'Reject a dispute with a reason (shown to everyone on the case)', params, body: rejectDisputeRequest, response: detail } },
    async (request) => disputes.rejectDispute(deps, actorOf(request), request.params.id, request.body),
  );
}
