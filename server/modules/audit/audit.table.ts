export interface AuditEntryTable {
  seq: number;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  partnerId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  auditChainHeadId: number;
  seq: number;
  lastHash: string;
}
