import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { problemIssue } from '../errors.ts';
import { amountMinor, currencyCode } from '../money.ts';
import { pageOf, pageQuery } from './paging.ts';

/**
 * The HTTP contract of compensation plans (/api/comp/...): plans and their versions (draft ->
 * in approval -> approved -> published -> retired), the approval chain, diffs and exports,
 * participants, plan assignments, quotas and the payout ceiling. A version's document is a plan
 * document of common/comp/plan.ts (GET /api/comp/plan-schema.json is its JSON Schema).
 */

export const planVersionStatuses = ['draft', 'in_approval', 'approved', 'published', 'retired'] as const;
export const planVersionStatus = z.enum(planVersionStatuses);
export type PlanVersionStatusName = z.infer<typeof planVersionStatus>;

/** The approval chain, in order: the compensation administrator, finance, then a manager of an assigned participant. */
export const approvalSteps = ['comp_admin', 'finance', 'manager'] as const;
export const approvalStep = z.enum(approvalSteps);
export type ApprovalStepName = z.infer<typeof approvalStep>;

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable();

// ---------------------------------------------------------------------------------------------
// Participants

export const participantView = z.object({
  id: z.uuid(),
  externalRef: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  appUserId: z.uuid().nullable(),
  managerId: z.uuid().nullable(),
  managerName: z.string().nullable(),
  team: z.string().nullable(),
  unit: z.string().nullable(),
  territory: z.string().nullable(),
  activeFrom: z.string().nullable(),
  activeTo: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ParticipantView = z.infer<typeof participantView>;

const participantFields = {
  externalRef: z.string().trim().min(1).max(120).describe('The id of the person in the HR or CRM system; unique'),
  displayName: z.string().trim().min(1).max(200),
  email: z.email().max(320).toLowerCase().nullable(),
  appUserId: z.uuid().nullable().describe('The Realign user this participant signs in as, if any'),
  managerId: z.uuid().nullable().describe('The participant this one reports to'),
  team: optionalText(120),
  unit: optionalText(120),
  territory: optionalText(120),
  activeFrom: isoDate.nullable(),
  activeTo: isoDate.nullable().describe('First day no longer active (half-open)'),
};

export const createParticipantRequest = z.strictObject({
  externalRef: participantFields.externalRef,
  displayName: participantFields.displayName,
  email: participantFields.email.default(null),
  appUserId: participantFields.appUserId.default(null),
  managerId: participantFields.managerId.default(null),
  team: participantFields.team.default(null),
  unit: participantFields.unit.default(null),
  territory: participantFields.territory.default(null),
  activeFrom: participantFields.activeFrom.default(null),
  activeTo: participantFields.activeTo.default(null),
});
export type CreateParticipantRequest = z.input<typeof createParticipantRequest>;

export const updateParticipantRequest = z.strictObject({
  externalRef: participantFields.externalRef.optional(),
  displayName: participantFields.displayName.optional(),
  email: participantFields.email.optional(),
  appUserId: participantFields.appUserId.optional(),
  managerId: participantFields.managerId.optional(),
  team: participantFields.team.optional(),
  unit: participantFields.unit.optional(),
  territory: participantFields.territory.optional(),
  activeFrom: participantFields.activeFrom.optional(),
  activeTo: participantFields.activeTo.optional(),
});
export type UpdateParticipantRequest = z.input<typeof updateParticipantRequest>;

export const participantListQuery = pageQuery.extend({
  team: z.string().trim().min(1).max(120).optional(),
  unit: z.string().trim().min(1).max(120).optional(),
  territory: z.string().trim().min(1).max(120).optional(),
  managerId: z.uuid().optional().describe('Direct reports of this participant'),
  planId: z.uuid().optional().describe('Participants assigned to this plan (on the date `on`, today by default)'),
  on: isoDate.optional(),
});
export const participantPage = pageOf(participantView);
export type ParticipantPage = z.infer<typeof participantPage>;

// ---------------------------------------------------------------------------------------------
// Plans and versions

const userRef = { name: z.string().nullable() };

export const planVersionSummary = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  version: z.number().int(),
  status: planVersionStatus,
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  changeNote: z.string(),
  approvalRound: z.number().int(),
  rejectionComment: z.string().nullable(),
  createdByUserId: z.uuid().nullable(),
  createdByName: userRef.name,
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  publishedByName: userRef.name,
  retiredAt: z.string().nullable(),
});
export type PlanVersionSummary = z.infer<typeof planVersionSummary>;

export const approvalView = z.object({
  id: z.uuid(),
  round: z.number().int(),
  step: approvalStep,
  decision: z.enum(['approved', 'rejected']),
  decidedByUserId: z.uuid().nullable(),
  decidedByName: z.string().nullable(),
  comment: z.string(),
  decidedAt: z.string(),
});
export type ApprovalView = z.infer<typeof approvalView>;

export const chainStepView = z.object({
  step: approvalStep,
  /** done: approved in this round; next: the step waiting for a decision; waiting: after the next one. */
  state: z.enum(['done', 'next', 'waiting']),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  comment: z.string().nullable(),
  /** Whether the signed-in user may decide this step now. */
  mayDecide: z.boolean(),
});
export type ChainStepView = z.infer<typeof chainStepView>;

export const planVersionView = planVersionSummary.extend({
  planKey: z.string(),
  planName: z.string(),
  /** The plan document (common/comp/plan.ts), complete with defaults. */
  document: z.record(z.string(), z.unknown()),
  /** The approval chain of the current round (empty for a draft never submitted). */
  chain: z.array(chainStepView),
  /** Every decision ever made on this version, oldest first. */
  approvals: z.array(approvalView),
  /** For drafts: what stands in the way of submitting (empty when it is ready). */
  issues: z.array(problemIssue),
});
export type PlanVersionView = z.infer<typeof planVersionView>;

export const planSummary = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  currency: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  published: z
    .object({ id: z.uuid(), version: z.number().int(), effectiveFrom: z.string(), effectiveTo: z.string().nullable(), publishedAt: z.string() })
    .nullable(),
  open: z.object({ id: z.uuid(), version: z.number().int(), status: planVersionStatus }).nullable(),
  latestVersion: z.number().int(),
  /** Participants with an assignment to the plan that covers today. */
  assignedNow: z.number().int(),
});
export type PlanSummary = z.infer<typeof planSummary>;

export const planDetail = planSummary.extend({ versions: z.array(planVersionSummary) });
export type PlanDetail = z.infer<typeof planDetail>;

export const planListQuery = pageQuery;
export const planPage = pageOf(planSummary);

/** A plan file's text (YAML or JSON), as read by common/comp/plan-file.ts parsePlanFile. */
export const planFileInput = z.strictObject({
  text: z.string().min(1).max(1_000_000),
  format: z.enum(['yaml', 'json', 'auto']).default('auto'),
});

const documentOrFile = {
  document: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The plan document; every problem comes back with its path, e.g. document.components[2].rateBps'),
  file: planFileInput.optional().describe('Instead of document: a plan file (YAML or JSON); problems name the path and the line'),
  changeNote: text(4000).optional(),
};

export const createPlanRequest = z
  .strictObject(documentOrFile)
  .refine((r) => (r.document === undefined) !== (r.file === undefined), { message: 'send exactly one of document and file', path: ['document'] });
export type CreatePlanRequest = z.input<typeof createPlanRequest>;

export const createVersionRequest = z
  .strictObject(documentOrFile)
  .refine((r) => r.document === undefined || r.file === undefined, { message: 'send at most one of document and file', path: ['document'] });
export type CreateVersionRequest = z.input<typeof createVersionRequest>;

export const saveDraftRequest = createVersionRequest;
export type SaveDraftRequest = z.input<typeof saveDraftRequest>;

export const approveRequest = z.strictObject({
  step: approvalStep.describe('The step being decided: guards against deciding a later step by accident'),
  comment: text(4000).default(''),
});
export type ApproveRequest = z.input<typeof approveRequest>;

export const rejectRequest = z.strictObject({
  step: approvalStep,
  comment: z.string().trim().min(1, 'say why').max(4000),
});
export type RejectRequest = z.input<typeof rejectRequest>;

export const planDiffQuery = z.strictObject({
  from: z.uuid().optional().describe('The version to compare with; the version before by default'),
});

export const planChange = z.object({
  /** Components are named by key: components.partner_sourced_kicker.capMinor */
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  from: z.unknown(),
  to: z.unknown(),
  /** One readable line, e.g. "components.partner_sourced_kicker.partnerSourcedMultiplierBps: 12000 -> 15000" */
  text: z.string(),
});
export type PlanChange = z.infer<typeof planChange>;

export const planDiffView = z.object({
  from: z.object({ id: z.uuid(), version: z.number().int() }).nullable(),
  to: z.object({ id: z.uuid(), version: z.number().int() }),
  changes: z.array(planChange),
});
export type PlanDiffView = z.infer<typeof planDiffView>;

export const planExportQuery = z.strictObject({ format: z.enum(['json', 'yaml']).default('json') });
export const planExportView = z.object({
  fileName: z.string(),
  format: z.enum(['json', 'yaml']),
  contentType: z.string(),
  text: z.string(),
});
export type PlanExportView = z.infer<typeof planExportView>;

// ---------------------------------------------------------------------------------------------
// Assignments

export const assignmentView = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  participantName: z.string(),
  externalRef: z.string(),
  planId: z.uuid(),
  planKey: z.string(),
  planName: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  createdAt: z.string(),
});
export type AssignmentView = z.infer<typeof assignmentView>;

export const createAssignmentRequest = z.strictObject({
  participantId: z.uuid(),
  planId: z.uuid(),
  effectiveFrom: isoDate,
  effectiveTo: isoDate.nullable().default(null).describe('First day no longer on the plan (half-open); null = open-ended'),
});
export type CreateAssignmentRequest = z.input<typeof createAssignmentRequest>;

export const updateAssignmentRequest = z.strictObject({
  effectiveFrom: isoDate.optional(),
  effectiveTo: isoDate.nullable().optional(),
});

export const assignmentListQuery = z.strictObject({
  planId: z.uuid().optional(),
  participantId: z.uuid().optional(),
  on: isoDate.optional().describe('Only assignments that cover this day'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const assignmentPage = pageOf(assignmentView);

// ---------------------------------------------------------------------------------------------
// Quotas

export const quotaView = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  externalRef: z.string(),
  participantName: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  updatedAt: z.string(),
});
export type QuotaView = z.infer<typeof quotaView>;

export const quotaRow = z
  .strictObject({
    participantId: z.uuid().optional(),
    externalRef: z.string().trim().min(1).max(120).optional().describe('Instead of participantId: the participant’s external reference'),
    periodStart: isoDate,
    periodEnd: isoDate.describe('First day after the period (half-open)'),
    amountMinor: amountMinor.min(0, 'must not be negative'),
    currency: currencyCode,
  })
  .refine((r) => (r.participantId === undefined) !== (r.externalRef === undefined), {
    message: 'name the participant by exactly one of participantId and externalRef',
    path: ['participantId'],
  });

export const upsertQuotasRequest = z.strictObject({ rows: z.array(quotaRow).min(1).max(50_000) });
export type UpsertQuotasRequest = z.input<typeof upsertQuotasRequest>;

export const upsertQuotasReport = z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type UpsertQuotasReport = z.infer<typeof upsertQuotasReport>;

export const quotaListQuery = z.strictObject({
  participantId: z.uuid().optional(),
  from: isoDate.optional().describe('Periods ending after this day'),
  to: isoDate.optional().describe('Periods starting before this day'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export const quotaPage = pageOf(quotaView);

// ---------------------------------------------------------------------------------------------
// Settings and "my plan"

export const compSettingsView = z.object({
  payoutCeilingMinor: z
    .number()
    .int()
    .nullable()
    .describe('Most any plan may pay one participant in one payout period, in minor units of the plan currency; null = no ceiling'),
});
export type CompSettingsView = z.infer<typeof compSettingsView>;
export const updateCompSettingsRequest = z.strictObject({ payoutCeilingMinor: amountMinor.min(0).nullable() });

export const myCompView = z.object({
  participant: participantView.nullable(),
  plans: z.array(z.object({ assignment: assignmentView, version: planVersionView.nullable() })),
});
export type MyCompView = z.infer<typeof myCompView>;
