import { z } from 'zod';
import { acceptOfferRequest, createOfferRequest, declineOfferRequest, offerListQuery, offerView } from '../../../common/api/engagement-offers.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as offers from './offers.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['offers'];

export async function offersRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.post(
    '/api/offers',
    { schema: { tags, summary: "Push an opportunity to a partner's deal inbox", body: createOfferRequest, response: { 201: offerView } } },
    async (request, reply) => reply.status(201).send(await offers.pushOffer(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/offers',
    {
      schema: {
        tags,
        summary: 'The deal inbox (partner users: their own offers; channel staff: all)',
        querystring: offerListQuery,
        response: { 200: z.object({ items: z.array(offerView), total: z.number().int() }) },
      },
    },
    async (request) => offers.listOffers(deps, actorOf(request), request.query),
  );
  app.get('/api/offers/:id', { schema: { tags, summary: 'One offer', params: idParams, response: { 200: offerView } } }, async (request) =>
    offers.getOffer(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/offers/:id/accept',
    {
      schema: {
        tags,
        summary: 'Accept an offer: registers and submits the deal',
        params: idParams,
        body: acceptOfferRequest,
        response: { 200: offerView },
      },
    },
    async (request) => offers.acceptOffer(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/offers/:id/decline',
    { schema: { tags, summary: 'Decline an offer with a note', params: idParams, body: declineOfferRequest, response: { 200: offerView } } },
    async (request) => offers.declineOffer(deps, actorOf(request), request.params.id, request.body.note),
  );
}
