import { z } from 'zod';
import { payoutLineKinds } from '../comp/engine-types.ts';
import { creditKinds, sourcings } from '../comp/plan.ts';
import { isoDate } from '../dates.ts';
import { amountMinor, currencyCode } from '../money.ts';

/**
 * The deal estimator: what a deal that has not closed would add to a participant's pay in the
 * payout period it would close in, and in the later periods of the fiscal year it changes. The
 * server credits the participant's fiscal year twice (with and without the deal) with the period
 * runs' crediting and engine, and answers with the difference per period and component and the
 * engine's explanation lines.
 */

const attribute = z.string().trim().min(1).max(100);

export const estimateRequest = z
  .strictObject({
    participantId: z.uuid().optional().describe('Whose pay; default: your own participant (or the seller of the opportunity prefilled from)'),
    prefillFrom: z
      .strictObject({ kind: z.enum(['opportunity', 'registration']), id: z.uuid() })
      .optional()
      .describe('An open opportunity or deal registration whose value, currency, close date, product, scenario and partner fill what is not given'),
    amountMinor: amountMinor
      .refine((v) => v > 0, 'must be more than zero')
      .optional()
      .describe('Deal value in minor units of the deal currency (required unless prefilled)'),
    currency: currencyCode.optional(),
    closeOn: isoDate.optional().describe('When the deal would close (recognised); default today'),
    product: attribute.nullable().optional(),
    scenario: attribute.nullable().optional(),
    segment: attribute.nullable().optional(),
    sourcing: z.enum(sourcings).optional().describe('Default: partner_sourced when a partner is named, else direct'),
    partnerId: z.uuid().nullable().optional(),
    coSellers: z
      .array(z.strictObject({ participantId: z.uuid(), splitBps: z.number().int().min(1).max(9_999) }))
      .max(10)
      .default([])
      .describe('Other sellers and their split; the participant keeps the rest of 10000 bp'),
    overlays: z.array(z.uuid()).max(10).default([]).describe('Overlay participants credited the full value on top'),
  })
  .superRefine((r, ctx) => {
    if (r.prefillFrom === undefined && r.amountMinor === undefined)
      ctx.addIssue({ code: 'custom', path: ['amountMinor'], message: 'give the deal value, or an opportunity or registration to prefill it from' });
    if (r.prefillFrom === undefined && r.amountMinor !== undefined && r.currency === undefined)
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'give the currency of the deal value' });
    const ids = r.coSellers.map((s) => s.participantId);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['coSellers'], message: 'names a seller twice' });
    if (r.coSellers.reduce((a, s) => a + s.splitBps, 0) >= 10_000)
      ctx.addIssue({
        code: 'custom',
        path: ['coSellers'],
        message: 'the other sellers’ splits must leave the participant a share (less than 10000 bp together)',
      });
  });
export type EstimateRequest = z.input<typeof estimateRequest>;

export const estimateTier = z.object({ fromBps: z.number().int(), toBps: z.number().int().nullable() });

export const estimateLineView = z.object({
  componentKey: z.string(),
  componentName: z.string(),
  kind: z.enum(payoutLineKinds),
  basisMinor: z.number().int().nullable(),
  rateBps: z.number().int().nullable(),
  multiplierBps: z.number().int(),
  tier: estimateTier.nullable(),
  amountMinor: z.number().int(),
  explanation: z.string(),
});
export type EstimateLineView = z.infer<typeof estimateLineView>;

export const estimatePeriodFigures = z.object({
  quotaMinor: z.number().int().nullable(),
  quotaCreditMinor: z.number().int(),
  attainmentBps: z.number().int(),
  ytdAttainmentBps: z.number().int(),
  totalMinor: z.number().int(),
  lines: z.array(estimateLineView),
});
export type EstimatePeriodFigures = z.infer<typeof estimatePeriodFigures>;

export const estimateComponentView = z.object({
  componentKey: z.string(),
  componentName: z.string(),
  beforeMinor: z.number().int(),
  afterMinor: z.number().int(),
  deltaMinor: z.number().int(),
  /** The highest band paid before and with the deal, when the component is tiered and the band changes. */
  tierCrossed: z.object({ from: estimateTier.nullable(), to: estimateTier.nullable() }).nullable(),
  /** A cap line appears (or grows) with the deal. */
  capHit: z.boolean(),
  /** The component's lines with the deal (the explanation of the new amount). */
  lines: z.array(estimateLineView),
});
export type EstimateComponentView = z.infer<typeof estimateComponentView>;

/** A later payout period of the fiscal year whose pay the deal changes (year-to-date tiers and true-ups, draw recovery). */
export const estimateLaterPeriodView = z.object({
  period: z.object({ start: isoDate, end: isoDate }),
  before: estimatePeriodFigures,
  after: estimatePeriodFigures,
  deltaMinor: z.number().int(),
  components: z.array(estimateComponentView),
});
export type EstimateLaterPeriodView = z.infer<typeof estimateLaterPeriodView>;

export const estimateCreditView = z.object({
  participantId: z.uuid(),
  name: z.string(),
  kind: z.enum(creditKinds),
  creditMinor: z.number().int(),
  currency: z.string(),
  rule: z.string(),
});
export type EstimateCreditView = z.infer<typeof estimateCreditView>;

export const estimateView = z.object({
  participantId: z.uuid(),
  participantName: z.string(),
  deal: z.object({
    amountMinor: z.number().int(),
    currency: z.string(),
    closeOn: isoDate,
    product: z.string().nullable(),
    scenario: z.string().nullable(),
    segment: z.string().nullable(),
    sourcing: z.enum(sourcings),
    partnerId: z.uuid().nullable(),
    prefilledFrom: z.object({ kind: z.enum(['opportunity', 'registration']), id: z.uuid(), label: z.string() }).nullable(),
  }),
  plan: z.object({ versionId: z.uuid(), planKey: z.string(), version: z.number().int() }),
  currency: z.string(),
  period: z.object({ start: isoDate, end: isoDate }),
  fx: z.object({ from: z.string(), rate: z.string(), on: isoDate }).nullable(),
  before: estimatePeriodFigures,
  after: estimatePeriodFigures,
  deltaMinor: z.number().int(),
  components: z.array(estimateComponentView),
  /** The later payout periods of the fiscal year the deal changes, in order (none when it changes only its own). */
  laterPeriods: z.array(estimateLaterPeriodView),
  /** The deal's effect over the fiscal year: its own period's and the later periods' together. */
  yearDeltaMinor: z.number().int(),
  /** The deal's credit to the participant (one line per credit kind: seller share, overlay, roll-up). */
  ownCredit: z.array(estimateCreditView),
  /** Who else the deal would credit, by their own plan's crediting (only those the caller may see). */
  others: z.array(estimateCreditView),
  /** Others credited whom the caller may not see. */
  hiddenOthers: z.number().int(),
  transactionsRead: z.number().int(),
  notes: z.array(z.string()),
});
export type EstimateView = z.infer<typeof estimateView>;

export const estimableParticipantsQuery = z.strictObject({
  q: z.string().trim().max(100).optional().describe('Part of a name or external reference'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type EstimableParticipantsQuery = z.input<typeof estimableParticipantsQuery>;

export const estimableParticipantsView = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), externalRef: z.string(), own: z.boolean() })),
});
export type EstimableParticipantsView = z.infer<typeof estimableParticipantsView>;
