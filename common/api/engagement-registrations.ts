import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { amountMinor, currencyCode } from '../money.ts';

/**
 * Deal registration: a partner's claim on an opportunity. Partner users see their own
 * organisation's registrations; the `internal` block (routing, conflict flag, escalation) is only
 * ever filled for vendor staff.
 */

export const registrationStatuses = [
  'draft',
  'submitted',
  'under_review',
  'more_info_requested',
  'approved',
  'rejected',
  'expired',
  'won',
  'lost',
  'withdrawn',
] as const;
export const registrationStatus = z.enum(registrationStatuses);
export type RegistrationStatusName = z.infer<typeof registrationStatus>;

export const registrationActions = ['start_review', 'request_info', 'provide_info', 'approve', 'reject', 'mark_won', 'mark_lost', 'withdraw'] as const;
export const registrationAction = z.enum(registrationActions);
export type RegistrationAction = z.infer<typeof registrationAction>;

export const registrationSource = z.enum(['partner', 'vendor_offer', 'bulk_upload']);

const key = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be a lower-case key such as emea or servers');
const text = (max: number) => z.string().trim().min(1).max(max);
const country = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as DE');

/** The fields a partner fills in; every one but scenario, customer name and value may be left out. */
export const registrationFieldsShape = {
  scenario: key.describe('Key of the scenario, e.g. managed_service (see GET /api/scenarios)'),
  endCustomerName: text(300),
  endCustomerDomain: z.string().trim().min(1).max(300).nullable().default(null).describe('Web domain of the end customer, e.g. acme.example'),
  endCustomerCountry: country.nullable().default(null),
  endCustomerTaxId: text(60).nullable().default(null),
  productLine: key.nullable().default(null),
  region: key.nullable().default(null),
  valueMinor: amountMinor.min(0, 'must not be negative').describe('Expected deal value in integer minor units (cents)'),
  currency: currencyCode,
  expectedCloseOn: isoDate.nullable().default(null),
  description: text(4000).nullable().default(null),
};

export const createRegistrationRequest = z.strictObject({
  ...registrationFieldsShape,
  clientReference: text(200).optional().describe('Your own reference; a second request with the same reference returns the first registration'),
  submit: z.boolean().default(false).describe('Submit at once instead of saving a draft'),
});
export type CreateRegistrationInput = z.output<typeof createRegistrationRequest>;

export const updateRegistrationRequest = z.strictObject({
  scenario: registrationFieldsShape.scenario.optional(),
  endCustomerName: text(300).optional(),
  endCustomerDomain: z.string().trim().min(1).max(300).nullable().optional(),
  endCustomerCountry: country.nullable().optional(),
  endCustomerTaxId: text(60).nullable().optional(),
  productLine: key.nullable().optional(),
  region: key.nullable().optional(),
  valueMinor: amountMinor.min(0).optional(),
  currency: currencyCode.optional(),
  expectedCloseOn: isoDate.nullable().optional(),
  description: text(4000).nullable().optional(),
});
export type UpdateRegistrationInput = z.output<typeof updateRegistrationRequest>;

export const transitionRequest = z.strictObject({
  action: registrationAction,
  note: text(4000).optional().describe('Shown in the history; required for request_info and provide_info'),
  reason: text(2000).optional().describe('Required to reject'),
});

export const extensionRequest = z.strictObject({ note: text(2000).optional() });
export const extensionDecisionRequest = z.strictObject({ decision: z.enum(['grant', 'deny']), note: text(2000).optional() });

export const registrationListQuery = z.strictObject({
  q: z.string().trim().max(200).optional().describe('Reference or end-customer name'),
  status: registrationStatus.optional(),
  scenario: key.optional(),
  partnerId: z.uuid().optional(),
  reviewerUserId: z.uuid().optional(),
  queue: z.enum(['all', 'mine', 'unit']).default('all').describe('mine: I review it; unit: my units have it with no named reviewer'),
  owningUnit: z.string().trim().max(120).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  open: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('Only registrations that still wait for the vendor (submitted, under review, more info requested)'),
  sort: z.enum(['created', 'due']).default('created'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RegistrationListQuery = z.output<typeof registrationListQuery>;

export const slaClock = z.object({
  state: z.enum(['not_started', 'running', 'met', 'breached']).describe('breached: the first answer came late or is overdue'),
  dueAt: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  breachedAt: z.string().nullable().describe('When the breach was recorded by the timer'),
  secondsLeft: z.number().int().nullable().describe('Until the answer is due, negative when overdue; null once answered'),
});
export type SlaClock = z.infer<typeof slaClock>;

export const registrationView = z.object({
  id: z.uuid(),
  reference: z.string(),
  partnerId: z.uuid(),
  partnerName: z.string().nullable(),
  status: registrationStatus,
  source: registrationSource,
  clientReference: z.string().nullable(),
  scenario: z.object({ id: z.uuid(), key: z.string(), name: z.string() }),
  endCustomerName: z.string(),
  endCustomerDomain: z.string().nullable(),
  endCustomerCountry: z.string().nullable(),
  endCustomerTaxId: z.string().nullable(),
  productLine: z.string().nullable(),
  region: z.string().nullable(),
  valueMinor: z.number().int(),
  currency: z.string(),
  expectedCloseOn: z.string().nullable(),
  description: z.string().nullable(),
  owningUnit: z.string().nullable(),
  reviewerName: z.string().nullable(),
  submittedByName: z.string().nullable(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  protectionEndsOn: z.string().nullable(),
  extensionCount: z.number().int(),
  extensionPending: z.boolean(),
  closedAt: z.string().nullable(),
  sla: slaClock,
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Vendor staff only; absent for partner users. */
  internal: z
    .object({
      inConflict: z.boolean(),
      ruleSetVersionId: z.uuid().nullable(),
      routeId: z.string().nullable(),
      reviewerUserId: z.uuid().nullable(),
      escalationUserId: z.uuid().nullable(),
      escalationName: z.string().nullable(),
      accountId: z.uuid().nullable(),
    })
    .optional(),
});
export type RegistrationView = z.infer<typeof registrationView>;

export const registrationEventView = z.object({
  id: z.uuid(),
  at: z.string(),
  kind: z.string(),
  actorLabel: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  internalOnly: z.boolean(),
});
export type RegistrationEventView = z.infer<typeof registrationEventView>;

export const registrationDetail = registrationView.extend({
  events: z.array(registrationEventView),
  allowedActions: z.array(registrationAction).describe('What the caller may do next'),
  canRequestExtension: z.boolean(),
  canDecideExtension: z.boolean(),
});
export type RegistrationDetail = z.infer<typeof registrationDetail>;

/** The CSV columns of a bulk upload, in the documented order. Only the first four are required. */
export const bulkColumns = [
  'client_reference',
  'scenario',
  'end_customer_name',
  'value',
  'currency',
  'end_customer_domain',
  'end_customer_country',
  'end_customer_tax_id',
  'product_line',
  'region',
  'expected_close_on',
  'description',
] as const;
export const requiredBulkColumns = ['client_reference', 'scenario', 'end_customer_name', 'value', 'currency'] as const;

export const bulkMode = z.enum(['all_or_nothing', 'valid_rows']);
export type BulkMode = z.infer<typeof bulkMode>;
export const bulkUploadRequest = z.strictObject({
  csv: z.string().min(1).max(10_000_000),
  mode: bulkMode.default('all_or_nothing'),
});

export const bulkRowReport = z.object({
  line: z.number().int().describe('Line of the CSV file (the header is line 1)'),
  clientReference: z.string().nullable(),
  outcome: z.enum(['created', 'already_registered', 'invalid', 'not_committed']),
  registrationId: z.uuid().nullable(),
  reference: z.string().nullable(),
  issues: z.array(z.object({ column: z.string(), message: z.string() })),
});
export type BulkRowReport = z.infer<typeof bulkRowReport>;

export const bulkUploadReport = z.object({
  mode: bulkMode,
  committed: z.boolean().describe('Whether any row was written'),
  rows: z.array(bulkRowReport),
  counts: z.object({ total: z.number().int(), created: z.number().int(), alreadyRegistered: z.number().int(), invalid: z.number().int() }),
});
export type BulkUploadReport = z.infer<typeof bulkUploadReport>;
