import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { periodGrains } from '../scorecards/metric.ts';

/**
 * "How do we make our number now?" (issue 6, item 4): for the current period, quota against
 * bookings and open pipeline (partner-linked and direct, by forecast category) for every seller,
 * team, unit and partner; coverage; the gap to quota and the partner pipeline that could close it.
 */

export const numberLevels = ['seller', 'team', 'unit', 'partner', 'programme'] as const;
export const settableForecastCategories = ['commit', 'best_case', 'pipeline', 'omitted'] as const;

export const makingTheNumberQuery = z.strictObject({
  period: isoDate.optional().describe('Any day of the period (today by default)'),
  grain: z.enum(periodGrains).default('quarter'),
  level: z.enum(numberLevels).default('seller'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
});
export type MakingTheNumberQuery = z.input<typeof makingTheNumberQuery>;

const byCategory = z.object({ commit: z.number(), bestCase: z.number(), pipeline: z.number() });

export const numberRow = z.object({
  subjectId: z.string(),
  label: z.string(),
  quotaMinor: z.number().nullable().describe('Prorated to the period; null when no quota is set (partners have none)'),
  bookedMinor: z.number().describe('Won in the period'),
  attainment: z.number().nullable().describe('booked / quota'),
  direct: byCategory.describe('Open pipeline without a partner, closing in the period'),
  partner: byCategory.describe('Open pipeline with a partner (registered or partner-sourced)'),
  openMinor: z.number(),
  gapMinor: z.number().nullable().describe('max(0, quota - booked)'),
  coverage: z.number().nullable().describe('open pipeline / gap (null when there is no gap or no quota)'),
  partnerCoverage: z.number().nullable().describe('partner open pipeline / gap: could partners close it?'),
  gapAfterCommit: z.number().nullable().describe('What is left after every commit deal closes'),
});
export type NumberRow = z.infer<typeof numberRow>;

export const makingTheNumberView = z.object({
  level: z.enum(numberLevels),
  grain: z.enum(periodGrains),
  periodStart: z.string(),
  periodEnd: z.string(),
  currency: z.string(),
  total: numberRow,
  rows: z.array(numberRow).describe('Largest gap first'),
  ownOnly: z.boolean().describe('True for a seller: only their own figures'),
});
export type MakingTheNumberView = z.infer<typeof makingTheNumberView>;

export const setForecastCategoryRequest = z.strictObject({ forecastCategory: z.enum(settableForecastCategories) });

export const myOpenOpportunitiesQuery = z.strictObject({
  period: isoDate.optional().describe('Any day of the period (today by default)'),
  grain: z.enum(periodGrains).default('quarter'),
});
export type MyOpenOpportunitiesQuery = z.input<typeof myOpenOpportunitiesQuery>;

export const myOpenOpportunity = z.object({
  id: z.uuid(),
  externalId: z.string(),
  accountName: z.string().nullable(),
  product: z.string().nullable(),
  scenario: z.string().nullable(),
  partnerName: z.string().nullable(),
  stage: z.enum(['prospecting', 'engaging']),
  closeOn: z.string().nullable(),
  valueMinor: z.number().nullable(),
  currency: z.string(),
  forecastCategory: z.string().nullable().describe('Empty counts as pipeline'),
});
export type MyOpenOpportunity = z.infer<typeof myOpenOpportunity>;
export const myOpenOpportunityList = z.object({
  periodStart: z.string(),
  periodEnd: z.string(),
  items: z.array(myOpenOpportunity).describe('The signed-in seller\u2019s open opportunities closing in the period, largest first'),
});
export type MyOpenOpportunityList = z.infer<typeof myOpenOpportunityList>;
