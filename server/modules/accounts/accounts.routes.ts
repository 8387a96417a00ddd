import { z } from 'zod';
import { pageOf } from '../../../common/api/paging.ts';
import {
  accountDetail,
  accountListQuery,
  accountView,
  createAccountRequest,
  setAccountOwnershipRequest,
  updateAccountRequest,
} from '../../../common/api/accounts.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as accounts from './accounts.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['accounts'];

export async function accountsRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/accounts',
    {
      schema: {
        tags,
        summary: 'Search end-customer accounts by name, domain, segment or country',
        querystring: accountListQuery,
        response: { 200: pageOf(accountView) },
      },
    },
    async (request) => accounts.listAccounts(deps, actorOf(request), request.query),
  );
  app.post(
    '/api/accounts',
    { schema: { tags, summary: 'Add an account', body: createAccountRequest, response: { 201: accountDetail } } },
    async (request, reply) => reply.status(201).send(await accounts.createAccount(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/accounts/:id',
    { schema: { tags, summary: 'One account with its current owner and ownership history', params: idParams, response: { 200: accountDetail } } },
    async (request) => accounts.getAccount(deps, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/accounts/:id',
    { schema: { tags, summary: 'Change an account', params: idParams, body: updateAccountRequest, response: { 200: accountDetail } } },
    async (request) => accounts.updateAccount(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/accounts/:id/ownership',
    {
      schema: {
        tags,
        summary: 'Hand the account to a new owner from a date (closes the current period)',
        params: idParams,
        body: setAccountOwnershipRequest,
        response: { 200: accountDetail },
      },
    },
    async (request) => accounts.setAccountOwnership(deps, actorOf(request), request.params.id, request.body),
  );
}
