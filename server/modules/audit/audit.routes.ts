import { z } from 'zod';
import { auditEntryView, auditQuery, auditVerifyResult } from '../../../common/api/audit.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth.ts';
import type { ZodApp } from '../../http/zod-app.ts';
import * as audit from './audit.service.ts';

const tags = ['audit'];

export async function auditRoutes(app: ZodApp, deps: Deps): Promise<void> {
  app.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: 'Audit log, newest first (administrators and auditors)',
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(auditEntryView) }) },
      },
    },
    async (request) => ({
      items: await audit.listAuditEntries(deps, actorOf(request), request.query),
    }),
  );
  app.get(
    '/api/audit/verify',
    { schema: { tags, summary: 'Recompute the hash chain and report the first broken entry', response: { 200: auditVerifyResult } } },
    async (request) => audit.verifyAuditChain(deps, actorOf(request)),
  );
}
