import { z } from 'zod';

export const auditEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
  partnerId: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditQuery = z.strictObject({
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  beforeSeq: z.coerce.number().int().min(1).optional().describe('Page backwards from this sequence number'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBrokenSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});
