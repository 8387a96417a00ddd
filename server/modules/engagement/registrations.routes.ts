import { z } from 'zod';
import {
  bulkMode,
  bulkUploadReport,
  bulkUploadRequest,
  createRegistrationRequest,
  extensionDecisionRequest,
  extensionRequest,
  registrationDetail,
  registrationListQuery,
  registrationView,
  transitionRequest,
  updateRegistrationRequest,
} from '../../../common/api/engagement-registrations.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as registrations from './registrations.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['registrations'];
/** A CSV upload may be far larger than an ordinary JSON request. */
const bulkBodyLimit = 10 * 1024 * 1024;

export async function registrationsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  // CSV uploads arrive as text/csv; the route's own bodyLimit caps them.
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  }

  app.post(
    '/api/registrations',
    {
      schema: {
        tags,
        summary: 'Register a deal: save a draft, or submit at once with submit: true',
        description:
          'Idempotent: send an Idempotency-Key header or body.clientReference. A replay with the same key and body answers 200 with the original registration and writes nothing; the same key with a different body is 409.',
        headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
        body: createRegistrationRequest,
        response: { 200: registrationDetail, 201: registrationDetail },
      },
    },
    async (request, reply) => {
      const r = await registrations.createRegistration(deps, actorOf(request), request.body, { idempotencyKey: request.headers['idempotency-key'] });
      return reply.status(r.replayed ? 200 : 201).send(r.registration);
    },
  );

  app.get(
    '/api/registrations',
    {
      schema: {
        tags,
        summary: 'List registrations (partner users: their own organisation; reviewers: what is routed to them; channel staff: all)',
        querystring: registrationListQuery,
        response: { 200: z.object({ items: z.array(registrationView), total: z.number().int() }) },
      },
    },
    async (request) => registrations.listRegistrations(deps, actorOf(request), request.query),
  );

  app.post(
    '/api/registrations/bulk',
    {
      bodyLimit: bulkBodyLimit,
      schema: {
        tags,
        summary: 'Register many deals from a CSV file, with a per-row report',
        description: [
          'Send the file as text/csv (mode in the query string) or as JSON {csv, mode}.',
          'Columns (header line, any order): client_reference, scenario, end_customer_name, value, currency (required), end_customer_domain,',
          'end_customer_country, end_customer_tax_id, product_line, region, expected_close_on (YYYY-MM-DD), description.',
          'value is in major units with a dot, e.g. 12500.00. Every row is checked first; mode all_or_nothing commits nothing when a row is bad,',
          'valid_rows commits the good rows. Rows whose client_reference was already registered with the same content are reported, not repeated.',
        ].join(' '),
        querystring: z.strictObject({ mode: bulkMode.optional() }),
        body: z.union([z.string().min(1).max(bulkBodyLimit), bulkUploadRequest]),
        response: { 200: bulkUploadReport },
      },
    },
    async (request) => {
      const body = request.body;
      const csv = typeof body === 'string' ? body : body.csv;
      const mode = (typeof body === 'string' ? undefined : body.mode) ?? request.query.mode ?? 'all_or_nothing';
      return registrations.bulkRegister(deps, actorOf(request), csv, mode);
    },
  );

  app.get(
    '/api/registrations/:id',
    { schema: { tags, summary: 'One registration with its history and SLA clock', params: idParams, response: { 200: registrationDetail } } },
    async (request) => registrations.getRegistration(deps, actorOf(request), request.params.id),
  );

  app.patch(
    '/api/registrations/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft, or add details while more information is requested',
        params: idParams,
        body: updateRegistrationRequest,
        response: { 200: registrationDetail },
      },
    },
    async (request) => registrations.updateRegistration(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/registrations/:id/submit',
    { schema: { tags, summary: 'Submit a draft', params: idParams, response: { 200: registrationDetail } } },
    async (request) => registrations.submitRegistration(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/registrations/:id/transition',
    {
      schema: {
        tags,
        summary: 'Move a registration along its lifecycle (review, ask for information, approve, reject, won, lost, withdraw)',
        params: idParams,
        body: transitionRequest,
        response: { 200: registrationDetail },
      },
    },
    async (request) => registrations.transitionRegistration(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/registrations/:id/extension',
    { schema: { tags, summary: 'Ask for the protection to be extended', params: idParams, body: extensionRequest, response: { 200: registrationDetail } } },
    async (request) => registrations.requestExtension(deps, actorOf(request), request.params.id, request.body.note),
  );

  app.post(
    '/api/registrations/:id/extension/decision',
    {
      schema: { tags, summary: 'Grant or deny a requested extension', params: idParams, body: extensionDecisionRequest, response: { 200: registrationDetail } },
    },
    async (request) => registrations.decideExtension(deps, actorOf(request), request.params.id, request.body.decision, request.body.note),
  );
}
