import { z } from 'zod';
import { isoDate } from '../dates.ts';

/**
 * Commission disputes: one case holds the seller's pay question (a statement line or a deal) and,
 * when a partner is involved, the partner's registration and its evidence. Cases are assigned,
 * commented (internal comments never reach partners), resolved with an adjustment booked in an open
 * commission period, resolved without a change, or rejected; every step is an event of the case.
 *
 * Partner users get the partner view: no amounts, no statement lines, no seller, no internal events.
 */

export const disputeStatuses = ['open', 'in_review', 'resolved', 'rejected', 'merged'] as const;
export const disputeStatus = z.enum(disputeStatuses);
export type DisputeStatus = z.infer<typeof disputeStatus>;

export const disputeOutcomes = ['adjusted', 'no_change', 'rejected'] as const;
export const disputeOutcome = z.enum(disputeOutcomes);
export type DisputeOutcome = z.infer<typeof disputeOutcome>;

export const disputeEventKinds = [
  'opened',
  'assigned',
  'commented',
  'linked',
  'merged',
  'status_changed',
  'resolved',
  'rejected',
  'reopened',
  'adjustment_booked',
] as const;
export const disputeEventKind = z.enum(disputeEventKinds);
export type DisputeEventKind = z.infer<typeof disputeEventKind>;

const subject = z.string().trim().min(1, 'Say what the dispute is about').max(200);
const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(4000);
const currency = z.string().regex(/^[A-Z]{3}$/, 'Use a three-letter ISO currency code, e.g. EUR');
const minor = z.number().int('Amounts are integer minor units (cents)').refine(Number.isSafeInteger, 'The amount is too large');
const evidenceLink = z
  .url({ protocol: /^https?$/, message: 'Evidence links are http(s) addresses' })
  .max(500)
  .describe('A link to evidence the partner or seller gives (a document, a mail thread)');

export const disputedLine = z.strictObject({
  runId: z.uuid().describe('The run of the statement'),
  participantId: z.uuid().optional().describe("The statement's participant; left out: the signed-in user's own"),
  lineIndex: z.number().int().min(0).describe("The line's number on the statement (0-based, across its periods)"),
});

export const disputedDeal = z.strictObject({
  salesTransactionId: z.uuid().describe('The sales transaction (deal) credited to the participant'),
  participantId: z.uuid().optional().describe("The credited participant; left out: the signed-in user's own"),
});

export const openDisputeRequest = z
  .strictObject({
    subject,
    description: text('The description').describe("The seller's question, or the partner's statement of what credit it expected"),
    line: disputedLine.optional(),
    deal: disputedDeal.optional(),
    registrationId: z.uuid().optional().describe("The partner's deal registration the dispute is about"),
    evidenceLinks: z.array(evidenceLink).max(10).optional(),
    claimed: z.strictObject({ amountMinor: minor, currency }).optional().describe('What the seller thinks the line should pay (internal)'),
  })
  .refine((r) => !(r.line && r.deal), { message: 'Name either a statement line or a deal, not both', path: ['deal'] })
  .refine((r) => r.line || r.deal || r.registrationId, {
    message: 'Name the statement line, the deal or the registration the dispute is about',
    path: ['line'],
  });
export type OpenDisputeRequest = z.infer<typeof openDisputeRequest>;

export const assignDisputeRequest = z.strictObject({
  assigneeUserId: z.uuid().describe('An internal user: compensation administrator, finance, channel manager or administrator'),
});
export type AssignDisputeRequest = z.infer<typeof assignDisputeRequest>;

export const commentDisputeRequest = z.strictObject({
  body: text('The comment'),
  internal: z.boolean().default(false).describe('Internal comments are never shown to partner users'),
});
export type CommentDisputeRequest = z.infer<typeof commentDisputeRequest>;

export const linkDisputeRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('registration'), registrationId: z.uuid() }),
  z.strictObject({ kind: z.literal('line'), line: disputedLine, subject, question: text('The question') }),
  z.strictObject({ kind: z.literal('deal'), deal: disputedDeal, subject, question: text('The question') }),
  z.strictObject({ kind: z.literal('case'), disputeId: z.uuid().describe('Another open case: its side moves into this one and it is closed as merged') }),
]);
export type LinkDisputeRequest = z.infer<typeof linkDisputeRequest>;

export const transitionDisputeRequest = z.strictObject({
  action: z.enum(['start_review', 'reopen']),
  note: text('The note').optional(),
});
export type TransitionDisputeRequest = z.infer<typeof transitionDisputeRequest>;

export const resolveDisputeRequest = z
  .strictObject({
    note: text('The resolution note').describe('Shown to everyone on the case, partners included: no amounts here'),
    adjustment: z
      .strictObject({
        amountMinor: minor.refine((n) => n !== 0, 'An adjustment of zero changes nothing: resolve without an adjustment instead'),
        currency,
        reason: z.string().trim().min(1).max(400).describe('Internal: shown on the adjustment and the payroll'),
        periodId: z.uuid().optional().describe('The open commission period to book in; left out: the current open period'),
      })
      .optional(),
  })
  .describe('Resolve with an adjustment (booked in an open period) or without a change');
export type ResolveDisputeRequest = z.infer<typeof resolveDisputeRequest>;

export const rejectDisputeRequest = z.strictObject({ reason: text('The reason').describe('Shown to everyone on the case') });
export type RejectDisputeRequest = z.infer<typeof rejectDisputeRequest>;

export const disputeListQuery = z.strictObject({
  status: disputeStatus.optional(),
  scope: z.enum(['all', 'mine', 'assigned']).default('all').describe('mine: opened by me; assigned: assigned to me'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type DisputeListQuery = z.infer<typeof disputeListQuery>;

/** What both sides may read of the registration (the partner sees its own registration anyway). */
export const disputeRegistrationView = z.object({
  id: z.uuid(),
  reference: z.string(),
  status: z.string(),
  endCustomerName: z.string(),
  valueMinor: z.number().int(),
  currency: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  protectionEndsOn: isoDate.nullable(),
  history: z.array(
    z.object({ at: z.string(), kind: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), note: z.string().nullable() }),
  ),
});

export const disputeEventView = z.object({
  id: z.uuid(),
  /** The case the event belongs to: this one or a case merged into it. */
  disputeReference: z.string(),
  at: z.string(),
  kind: disputeEventKind,
  actorLabel: z.string(),
  internalOnly: z.boolean(),
  fromStatus: disputeStatus.nullable(),
  toStatus: disputeStatus.nullable(),
  body: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type DisputeEventView = z.infer<typeof disputeEventView>;

const common = {
  id: z.uuid(),
  reference: z.string(),
  status: disputeStatus,
  subject: z.string(),
  outcome: disputeOutcome.nullable(),
  resolutionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  mergedInto: z.object({ id: z.uuid(), reference: z.string() }).nullable(),
  openedByMe: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const disputeClaimView = z.object({
  participantId: z.uuid(),
  participantName: z.string(),
  subject: z.string(),
  question: z.string(),
  line: z
    .object({
      runId: z.uuid(),
      lineIndex: z.number().int(),
      periodStart: isoDate.nullable(),
      periodEnd: isoDate.nullable(),
      componentKey: z.string().nullable(),
      componentName: z.string().nullable(),
      amountMinor: z.number().int(),
      currency: z.string(),
    })
    .nullable(),
  deal: z.object({ salesTransactionId: z.uuid(), transactionRef: z.string() }).nullable(),
  claimed: z.object({ amountMinor: z.number().int(), currency: z.string() }).nullable(),
});

export const disputeAdjustmentView = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  bookedInPeriodId: z.uuid(),
  periodStart: isoDate,
  periodEnd: isoDate,
  amountMinor: z.number().int(),
  currency: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type DisputeAdjustmentView = z.infer<typeof disputeAdjustmentView>;

export const internalDisputeSummary = z.object({
  audience: z.literal('internal'),
  ...common,
  partner: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  registrationReference: z.string().nullable(),
  participantName: z.string().nullable(),
  assignee: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  openedBy: z.string(),
});
export const partnerDisputeSummary = z.object({
  audience: z.literal('partner'),
  ...common,
  registrationReference: z.string().nullable(),
});
export const disputeSummary = z.discriminatedUnion('audience', [internalDisputeSummary, partnerDisputeSummary]);
export type DisputeSummary = z.infer<typeof disputeSummary>;
export const disputeList = z.object({ items: z.array(disputeSummary), total: z.number().int() });
export type DisputeList = z.infer<typeof disputeList>;

export const disputeActions = ['assign', 'comment', 'comment_internal', 'link', 'start_review', 'resolve', 'adjust', 'reject', 'reopen'] as const;
export type DisputeAction = (typeof disputeActions)[number];

export const internalDisputeDetail = internalDisputeSummary.extend({
  partnerStatement: z.string().nullable(),
  evidenceLinks: z.array(z.string()),
  registration: disputeRegistrationView.nullable(),
  /** Null when the reader may not see the seller's pay (a channel manager who reads the case for its partner side). */
  claim: disputeClaimView.nullable(),
  payHidden: z.boolean(),
  adjustments: z.array(disputeAdjustmentView),
  decidedInPeriodId: z.uuid().nullable(),
  events: z.array(disputeEventView),
  allowedActions: z.array(z.enum(disputeActions)),
});
export const partnerDisputeDetail = partnerDisputeSummary.extend({
  partnerStatement: z.string().nullable(),
  evidenceLinks: z.array(z.string()),
  registration: disputeRegistrationView.nullable(),
  events: z.array(disputeEventView),
  allowedActions: z.array(z.enum(disputeActions)),
});
export const disputeDetail = z.discriminatedUnion('audience', [internalDisputeDetail, partnerDisputeDetail]);
export type DisputeDetail = z.infer<typeof disputeDetail>;
export type InternalDisputeDetail = z.infer<typeof internalDisputeDetail>;
export type PartnerDisputeDetail = z.infer<typeof partnerDisputeDetail>;

export const disputeAssignee = z.object({ id: z.uuid(), name: z.string(), roles: z.array(z.string()) });
export type DisputeAssignee = z.infer<typeof disputeAssignee>;
