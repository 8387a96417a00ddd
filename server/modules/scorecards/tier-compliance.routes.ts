import { z } from 'zod';
import {
  myTierCompliance,
  myTierComplianceQuery,
  partnerAttributeView,
  saveTierRulesRequest,
  savePartnerAttributesRequest,
  tierComplianceList,
  tierComplianceQuery,
  tierRulesView,
} from '../../../common/api/scorecard-tiers.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as tiers from './tier-compliance.service.ts';

const tags = ['scorecards'];
const partnerParams = z.strictObject({ partnerId: z.uuid() });

export async function tierComplianceRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/scorecards/tier-rules',
    { schema: { tags, summary: 'The partner tier rules in force (the built-in default until some are saved)', response: { 200: tierRulesView } } },
    async (request) => tiers.getTierRules(deps, actorOf(request)),
  );
  app.put(
    '/api/scorecards/tier-rules',
    {
      schema: {
        tags,
        summary:
          'Replace the tier rules (checked before saving: metrics exist and are computed per partner, attributes are declared, thresholds fit their unit)',
        body: saveTierRulesRequest,
        response: { 200: tierRulesView },
      },
    },
    async (request) => tiers.saveTierRules(deps, actorOf(request), request.body),
  );
  app.put(
    '/api/scorecards/tier-compliance/partners/:partnerId/attributes',
    {
      schema: {
        tags,
        summary: "Record a partner's figures (certified people, customer satisfaction, ...): attributes declared by the tier rules",
        params: partnerParams,
        body: savePartnerAttributesRequest,
        response: { 200: z.object({ items: z.array(partnerAttributeView) }) },
      },
    },
    async (request) => ({ items: await tiers.savePartnerAttributes(deps, actorOf(request), request.params.partnerId, request.body) }),
  );
  app.get(
    '/api/scorecards/tier-compliance',
    {
      schema: {
        tags,
        summary: 'Every partner: its tier, each requirement of its tier and the next (actual vs required), the gap, at-risk flags',
        querystring: tierComplianceQuery,
        response: { 200: tierComplianceList },
      },
    },
    async (request) => tiers.listTierCompliance(deps, actorOf(request), request.query),
  );
  app.get(
    '/api/scorecards/tier-compliance/me',
    {
      schema: {
        tags,
        summary: "A partner user's own tier compliance (partner users only)",
        querystring: myTierComplianceQuery,
        response: { 200: myTierCompliance },
      },
    },
    async (request) => tiers.myTierCompliance(deps, actorOf(request), request.query),
  );
}
