import { z } from 'zod';
import {
  acknowledgementDashboard,
  acknowledgementsQuery,
  acknowledgementView,
  createRuleSetVersionRequest,
  currentRulesView,
  plainRulesView,
  publishRuleSetVersionRequest,
  ruleChangesQuery,
  ruleChangesView,
  ruleSetVersionSummary,
  ruleSetVersionView,
  updateRuleSetVersionRequest,
} from '../../../common/api/engagement-rules.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as rules from './rules.service.ts';

const idParams = z.strictObject({ id: z.uuid() });
const tags = ['engagement'];

export async function rulesRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/rules/current',
    { schema: { tags, summary: 'The rules of the road in force (null before the first publication)', response: { 200: currentRulesView } } },
    async (request) => ({ version: await rules.getCurrentRules(deps, actorOf(request)) }),
  );
  app.get(
    '/api/rules/versions',
    {
      schema: {
        tags,
        summary: 'Every version, newest first (partners see published and retired ones only)',
        response: { 200: z.object({ items: z.array(ruleSetVersionSummary) }) },
      },
    },
    async (request) => ({ items: await rules.listRuleVersions(deps, actorOf(request)) }),
  );
  app.post(
    '/api/rules/versions',
    {
      schema: {
        tags,
        summary: 'Start a draft (a copy of the version in force, or the default rule set)',
        body: createRuleSetVersionRequest,
        response: { 201: ruleSetVersionView },
      },
    },
    async (request, reply) => reply.status(201).send(await rules.createRuleVersion(deps, actorOf(request), request.body)),
  );
  app.get(
    '/api/rules/versions/:id',
    {
      schema: {
        tags,
        summary: 'One version, with its rules (and for drafts what stands in the way of publishing)',
        params: idParams,
        response: { 200: ruleSetVersionView },
      },
    },
    async (request) => rules.getRuleVersion(deps, actorOf(request), request.params.id),
  );
  app.patch(
    '/api/rules/versions/:id',
    {
      schema: {
        tags,
        summary: 'Change a draft; the rules are checked in full',
        params: idParams,
        body: updateRuleSetVersionRequest,
        response: { 200: ruleSetVersionView },
      },
    },
    async (request) => rules.updateRuleVersion(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/rules/versions/:id/publish',
    {
      schema: {
        tags,
        summary: 'Put a valid draft in force (the version in force so far retires) and ask everyone to acknowledge it',
        params: idParams,
        body: publishRuleSetVersionRequest,
        response: { 200: ruleSetVersionView },
      },
    },
    async (request) => rules.publishRuleVersion(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/rules/versions/:id/retire',
    { schema: { tags, summary: 'Take the version in force out of force', params: idParams, response: { 200: ruleSetVersionView } } },
    async (request) => rules.retireRuleVersion(deps, actorOf(request), request.params.id),
  );
  app.get(
    '/api/rules/versions/:id/changes',
    {
      schema: {
        tags,
        summary: 'What changed, in words, from another version (the previous one by default)',
        params: idParams,
        querystring: ruleChangesQuery,
        response: { 200: ruleChangesView },
      },
    },
    async (request) => rules.describeRuleChanges(deps, actorOf(request), request.params.id, request.query.from),
  );
  app.get(
    '/api/rules/versions/:id/plain',
    { schema: { tags, summary: 'The version in plain language', params: idParams, response: { 200: plainRulesView } } },
    async (request) => rules.plainRules(deps, actorOf(request), request.params.id),
  );
  app.post(
    '/api/rules/versions/:id/acknowledge',
    { schema: { tags, summary: 'I have read and accept the version in force (idempotent)', params: idParams, response: { 200: acknowledgementView } } },
    async (request) => rules.acknowledgeRules(deps, actorOf(request), request.params.id),
  );
  app.get(
    '/api/rules/versions/:id/acknowledgements',
    {
      schema: {
        tags,
        summary: 'Who acknowledged the version and who has not yet (partner administrators: their own organisation)',
        params: idParams,
        querystring: acknowledgementsQuery,
        response: { 200: acknowledgementDashboard },
      },
    },
    async (request) => rules.acknowledgementDashboard(deps, actorOf(request), request.params.id, request.query),
  );
}
