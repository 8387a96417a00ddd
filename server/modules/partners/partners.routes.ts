import { z } from 'zod';
import { pageOf } from '../../../common/api/paging.ts';
import { userView } from '../../../common/api/identity.ts';
import {
  createPartnerContactRequest,
  createPartnerRequest,
  partnerContactView,
  partnerListQuery,
  partnerView,
  updatePartnerContactRequest,
  updatePartnerRequest,
} from '../../../common/api/partners.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import { listPartnerUsers } from '../identity/identity.service.ts';
import * as partners from './partners.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const contactParams = z.strictObject({ id: z.uuid(), contactId: z.uuid() });
const tags = ['partners'];

export async function partnersRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/partners',
    {
      schema: {
        tags,
        summary:
          'List partners with their last engagement; filter by tier, status, region, specialisation or channel manager (partner users see their own organisation)',
        querystring: partnerListQuery,
        response: { 200: pageOf(partnerView) },
      },
    },
    async (request) => partners.listPartners(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/partners',
    { schema: { tags, summary: 'Add a partner organisation', body: createPartnerRequest, response: { 201: partnerView } } },
    async (request, reply) => reply.status(201).send(await partners.createPartner(deps, actorOf(request), request.body)),
  );
  app.get('/api/partners/:id', { schema: { tags, summary: 'One partner', params: idParams, response: { 200: partnerView } } }, async (request) =>
    partners.getPartner(deps, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/partners/:id',
    { schema: { tags, summary: 'Change a partner', params: idParams, body: updatePartnerRequest, response: { 200: partnerView } } },
    async (request) => partners.updatePartner(deps, actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/partners/:id/contacts',
    {
      schema: { tags, summary: 'Contacts and executives of a partner', params: idParams, response: { 200: z.object({ items: z.array(partnerContactView) }) } },
    },
    async (request) => ({
      items: await partners.listPartnerContacts(deps, actorOf(request), request.params.id),
    }),
  );
  app.post(
    '/api/partners/:id/contacts',
    { schema: { tags, summary: 'Add a contact', params: idParams, body: createPartnerContactRequest, response: { 201: partnerContactView } } },
    async (request, reply) => reply.status(201).send(await partners.addPartnerContact(deps, actorOf(request), request.params.id, request.body)),
  );
  app.patch(
    '/api/partners/:id/contacts/:contactId',
    { schema: { tags, summary: 'Change a contact', params: contactParams, body: updatePartnerContactRequest, response: { 200: partnerContactView } } },
    async (request) => partners.updatePartnerContact(deps, actorOf(request), request.params.id, request.params.contactId, request.body),
  );
  app.get(
    '/api/partners/:id/users',
    { schema: { tags, summary: 'Users of a partner organisation', params: idParams, response: { 200: z.object({ items: z.array(userView) }) } } },
    async (request) => {
      await partners.getPartner(deps, actorOf(request), request.params.id);
      return { items: await listPartnerUsers(deps, actorOf(request), request.params.id) };
    },
  );
}
