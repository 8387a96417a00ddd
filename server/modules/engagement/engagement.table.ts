import type { ColumnType } from 'kysely';
import type { RegistrationStatusName } from '../../../common/api/engagement-registrations.ts';
import type { RuleSetContent } from '../../../common/api/rules.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** The API's status list is the one source: the check constraint in the migrations mirrors it. */
export type RegistrationStatus = RegistrationStatusName;

export const registrationEventKinds = [
  'created',
  'submitted',
  'status_changed',
  'comment',
  'info_requested',
  'info_provided',
  'extension_requested',
  'extension_granted',
  'extension_denied',
  'sla_breached',
  'conflict_detected',
  'conflict_resolved',
  'assigned',
  'expired',
] as const;
export type RegistrationEventKind = (typeof registrationEventKinds)[number];

export interface ScenarioTable {
  scenarioId: string;
  key: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  isRenewal: ColumnType<boolean, boolean | undefined, boolean>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  sortOrder: ColumnType<number, number | undefined, number>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface RuleSetVersionTable {
  ruleSetVersionId: string;
  version: number;
  status: 'draft' | 'published' | 'retired';
  title: string;
  releaseNotes: ColumnType<string, string | undefined, string>;
  rules: ColumnType<RuleSetContent, string, string>;
  acknowledgeBy: string | null;
  createdByUserId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
  publishedAt: Date | null;
  publishedByUserId: string | null;
  retiredAt: Date | null;
}

export interface RuleAcknowledgementTable {
  ruleSetVersionId: string;
  appUserId: string;
  partnerId: string | null;
  acknowledgedAt: Date;
}

export interface DealRegistrationTable {
  dealRegistrationId: string;
  reference: string;
  partnerId: string;
  submittedByUserId: string | null;
  clientReference: string | null;
  status: RegistrationStatus;
  source: 'partner' | 'vendor_offer' | 'bulk_upload';
  scenarioId: string;
  productLine: string | null;
  region: string | null;
  endCustomerName: string;
  endCustomerNormalisedName: string;
  endCustomerDomain: string | null;
  endCustomerCountry: string | null;
  endCustomerTaxId: string | null;
  accountId: string | null;
  valueMinor: number;
  currency: string;
  expectedCloseOn: string | null;
  description: string | null;
  ruleSetVersionId: string | null;
  routeId: string | null;
  owningUnit: string | null;
  reviewerUserId: string | null;
  escalationUserId: string | null;
  submittedAt: Date | null;
  slaDueAt: Date | null;
  slaBreachedAt: Date | null;
  firstResponseAt: Date | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  protectionEndsOn: string | null;
  extensionCount: ColumnType<number, number | undefined, number>;
  inConflict: ColumnType<boolean, boolean | undefined, boolean>;
  closedAt: Date | null;
  requestFingerprint: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface RegistrationEventTable {
  registrationEventId: string;
  dealRegistrationId: string;
  partnerId: string;
  at: Date;
  actorUserId: string | null;
  actorLabel: string;
  kind: RegistrationEventKind;
  fromStatus: RegistrationStatus | null;
  toStatus: RegistrationStatus | null;
  note: string | null;
  internalOnly: ColumnType<boolean, boolean | undefined, boolean>;
  seq: ColumnType<number, never, never>;
}

export interface RegistrationConflictTable {
  registrationConflictId: string;
  dealRegistrationId: string;
  otherRegistrationId: string | null;
  accountId: string | null;
  kind: 'partner_vs_partner' | 'partner_vs_direct';
  matchReason: 'domain' | 'tax_id' | 'name' | 'account';
  similarity: number | null;
  status: ColumnType<'open' | 'resolved', 'open' | 'resolved' | undefined, 'open' | 'resolved'>;
  resolution: 'award_new' | 'award_existing' | 'share' | 'reject_new' | 'dismissed' | null;
  resolutionNote: string | null;
  resolvedByUserId: string | null;
  resolvedAt: Date | null;
  createdAt: CreatedAt;
}

export interface DealOfferTable {
  dealOfferId: string;
  partnerId: string;
  offeredByUserId: string | null;
  scenarioId: string;
  endCustomerName: string;
  endCustomerDomain: string | null;
  endCustomerCountry: string | null;
  accountId: string | null;
  valueMinor: number;
  currency: string;
  expectedCloseOn: string | null;
  description: string | null;
  status: ColumnType<
    'offered' | 'accepted' | 'declined' | 'withdrawn' | 'expired',
    'offered' | undefined,
    'offered' | 'accepted' | 'declined' | 'withdrawn' | 'expired'
  >;
  respondBy: string;
  respondedAt: Date | null;
  responseNote: string | null;
  dealRegistrationId: string | null;
  createdAt: CreatedAt;
  updatedAt: Timestamp;
}

export interface PartnerReactivationTaskTable {
  partnerReactivationTaskId: string;
  partnerId: string;
  assignedToUserId: string | null;
  status: ColumnType<'open' | 'done' | 'dismissed', 'open' | undefined, 'open' | 'done' | 'dismissed'>;
  reason: string;
  outcome: string | null;
  quietSince: Date | null;
  createdAt: CreatedAt;
  closedAt: Date | null;
}
