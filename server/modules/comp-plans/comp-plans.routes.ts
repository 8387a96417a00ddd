import { z } from 'zod';
import {
  approveRequest,
  assignmentListQuery,
  assignmentPage,
  assignmentView,
  compSettingsView,
  createAssignmentRequest,
  createParticipantRequest,
  createPlanRequest,
  createVersionRequest,
  myCompView,
  participantListQuery,
  participantPage,
  participantView,
  planDetail,
  planDiffQuery,
  planDiffView,
  planExportQuery,
  planExportView,
  planListQuery,
  planPage,
  planVersionView,
  quotaListQuery,
  quotaPage,
  rejectRequest,
  saveDraftRequest,
  updateAssignmentRequest,
  updateCompSettingsRequest,
  updateParticipantRequest,
  upsertQuotasReport,
  upsertQuotasRequest,
} from '../../../common/api/comp-plans.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as comp from './comp-plans.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['comp-plans'];
/** Plan files and quota lists can be far larger than an ordinary JSON request. */
const bulkBodyLimit = 20 * 1024 * 1024;

export async function compPlansRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/comp/plan-schema.json',
    {
      schema: {
        tags,
        summary: 'The JSON Schema of plan documents and plan files (YAML or JSON), for editors and integrations',
        response: { 200: z.record(z.string(), z.unknown()) },
      },
    },
    async (request) => comp.planSchema(actorOf(request)),
  );

  app.get(
    '/api/comp/settings',
    { schema: { tags, summary: 'The payout ceiling per participant and payout period', response: { 200: compSettingsView } } },
    async (request) => comp.getCompSettings(deps, actorOf(request)),
  );
  app.put(
    '/api/comp/settings',
    {
      schema: {
        tags,
        summary: 'Set the payout ceiling (plans are checked against it on save, submit and publish)',
        body: updateCompSettingsRequest,
        response: { 200: compSettingsView },
      },
    },
    async (request) => comp.updateCompSettings(deps, actorOf(request), request.body),
  );

  app.get(
    '/api/comp/me',
    {
      schema: { tags, summary: 'My participant record and the published plan version I am paid under', response: { 200: myCompView } },
    },
    async (request) => comp.myComp(deps, actorOf(request)),
  );

  // Plans and versions
  app.get(
    '/api/comp/plans',
    { schema: { tags, summary: 'Plans (internal sellers: the plans they are on)', querystring: planListQuery, response: { 200: planPage } } },
    async (request) => comp.listPlans(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/comp/plans',
    {
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary: 'Create a plan and its first version (a draft) from a plan document or a plan file',
        description: 'Every problem of the document comes back as an issue with its path (document.components[2].rateBps); for files, with the line.',
        body: createPlanRequest,
        response: { 201: planVersionView },
      },
    },
    async (request, reply) => reply.status(201).send(await comp.createPlan(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/comp/plans/:id',
    { schema: { tags, summary: 'A plan with its versions, newest first', params: idParams, response: { 200: planDetail } } },
    async (request) => comp.getPlan(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/comp/plans/:id/versions',
    {
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary: 'Start the next version (a draft): from a document or file, or a copy of the version in force',
        params: idParams,
        body: createVersionRequest,
        response: { 201: planVersionView },
      },
    },
    async (request, reply) => reply.status(201).send(await comp.createPlanVersion(deps, actorOf(request), request.params.id, request.body)),
  );
  app.get(
    '/api/comp/versions/:id',
    {
      schema: {
        tags,
        summary: 'One version: its document, the approval chain and (for drafts) what stands in the way of submitting',
        params: idParams,
        response: { 200: planVersionView },
      },
    },
    async (request) => comp.getPlanVersion(deps, actorOf(request), request.params.id),
  );
  app.put(
    '/api/comp/versions/:id',
    {
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary: 'Save a draft: the document (or file) is checked in full, against the payout ceiling too',
        params: idParams,
        body: saveDraftRequest,
        response: { 200: planVersionView },
      },
    },
    async (request) => comp.saveDraft(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/comp/versions/:id/submit',
    {
      schema: { tags, summary: 'Submit a draft for approval (comp admin, then finance, then a manager)', params: idParams, response: { 200: planVersionView } },
    },
    async (request) => comp.submitForApproval(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/comp/versions/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve the next step of the chain (never your own version, never two steps of one round)',
        params: idParams,
        body: approveRequest,
        response: { 200: planVersionView },
      },
    },
    async (request) => comp.approveStep(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/comp/versions/:id/reject',
    {
      schema: {
        tags,
        summary: 'Reject the next step: the version returns to draft with the comment',
        params: idParams,
        body: rejectRequest,
        response: { 200: planVersionView },
      },
    },
    async (request) => comp.rejectStep(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/comp/versions/:id/withdraw',
    { schema: { tags, summary: 'Take a version in approval (or approved) back to draft', params: idParams, response: { 200: planVersionView } } },
    async (request) => comp.withdrawVersion(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/comp/versions/:id/publish',
    {
      schema: { tags, summary: 'Publish an approved version; the version in force so far retires', params: idParams, response: { 200: planVersionView } },
    },
    async (request) => comp.publishVersion(deps, actorOf(request), request.params.id),
  );
  app.get(
    '/api/comp/versions/:id/diff',
    {
      schema: {
        tags,
        summary: 'What changed from another version (the one before by default), one line per change',
        params: idParams,
        querystring: planDiffQuery,
        response: { 200: planDiffView },
      },
    },
    async (request) => comp.diffPlanVersions(deps, actorOf(request), request.params.id, request.query.from),
  );
  app.get(
    '/api/comp/versions/:id/export',
    {
      schema: { tags, summary: 'The version as a plan file (JSON or YAML)', params: idParams, querystring: planExportQuery, response: { 200: planExportView } },
    },
    async (request) => comp.exportPlanVersion(deps, actorOf(request), request.params.id, request.query.format),
  );

  // Participants
  app.get(
    '/api/comp/participants',
    {
      schema: {
        tags,
        summary: 'Participants by name; q searches name, reference and e-mail (internal sellers: their own record)',
        querystring: participantListQuery,
        response: { 200: participantPage },
      },
    },
    async (request) => comp.listParticipants(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/comp/participants',
    { schema: { tags, summary: 'Add a participant', body: createParticipantRequest, response: { 201: participantView } } },
    async (request, reply) => reply.status(201).send(await comp.createParticipant(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/comp/participants/:id',
    { schema: { tags, summary: 'One participant', params: idParams, response: { 200: participantView } } },
    async (request) => comp.getParticipant(deps, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/comp/participants/:id',
    { schema: { tags, summary: 'Change a participant', params: idParams, body: updateParticipantRequest, response: { 200: participantView } } },
    async (request) => comp.updateParticipant(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/comp/participants/:id',
    {
      schema: { tags, summary: 'Remove a participant without assignments or reports (otherwise set activeTo)', params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await comp.deleteParticipant(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Assignments
  app.get(
    '/api/comp/assignments',
    { schema: { tags, summary: 'Plan assignments (internal sellers: their own)', querystring: assignmentListQuery, response: { 200: assignmentPage } } },
    async (request) => comp.listAssignments(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/comp/assignments',
    {
      schema: {
        tags,
        summary: 'Put a participant on a plan for a period (one plan at a time)',
        body: createAssignmentRequest,
        response: { 201: assignmentView },
      },
    },
    async (request, reply) => reply.status(201).send(await comp.createAssignment(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/comp/assignments/:id',
    { schema: { tags, summary: 'Change the period of an assignment', params: idParams, body: updateAssignmentRequest, response: { 200: assignmentView } } },
    async (request) => comp.updateAssignment(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/comp/assignments/:id',
    { schema: { tags, summary: 'Remove an assignment', params: idParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await comp.deleteAssignment(deps, actorOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Quotas
  app.get(
    '/api/comp/quotas',
    { schema: { tags, summary: 'Quotas (internal sellers: their own)', querystring: quotaListQuery, response: { 200: quotaPage } } },
    async (request) => comp.listQuotas(deps, actorOf(request), request.query),
  );
  app.put(
    '/api/comp/quotas',
    {
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary: 'Insert or update quotas by participant and period start, all or nothing',
        description:
          'Every row is checked first; when any row has a problem nothing is saved and every problem is listed with its row (body.rows[14].externalRef).',
        body: upsertQuotasRequest,
        response: { 200: upsertQuotasReport },
      },
    },
    async (request) => comp.upsertQuotas(deps, actorOf(request), request.body),
  );
}
