import { z } from 'zod';
import { isoDate } from '../dates.ts';
import { problemIssue } from '../errors.ts';
import { pageOf, pageQuery } from './paging.ts';
import { activitySources, metricDefinition, periodGrains, subjectKinds } from '../scorecards/metric.ts';

/**
 * The scorecards API (issue 6), first part: the metric library (definitions as data, validated
 * before they are saved), computing a metric for every subject of a kind, activities (logged by
 * hand, imported from CSV), and the report of an opportunity import. Internal only: partner users
 * get 404 everywhere for now.
 */

// ---------------------------------------------------------------------------------------------
// Metric definitions

export const metricDefinitionView = z.object({
  key: z.string(),
  builtin: z.boolean().describe('Shipped with Realign: read-only'),
  definition: metricDefinition,
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type MetricDefinitionView = z.infer<typeof metricDefinitionView>;

export const metricDefinitionList = z.object({ items: z.array(metricDefinitionView) });

/** The body of a create or an update: the definition itself (its shape here, its semantics before it is saved). */
export const createMetricRequest = metricDefinition;
export const updateMetricRequest = metricDefinition;

export const metricValidationView = z.object({ ok: z.boolean(), issues: z.array(problemIssue) });

export const metricCatalogueView = z.object({
  sources: z.array(
    z.object({
      source: z.string(),
      description: z.string(),
      fields: z.array(z.object({ name: z.string(), type: z.string(), description: z.string(), values: z.array(z.string()).nullable() })),
      subjectKinds: z.array(z.enum(subjectKinds)),
    }),
  ),
  measures: z.array(z.object({ kind: z.string(), description: z.string() })),
  periodGrains: z.array(z.enum(periodGrains)),
});
export type MetricCatalogueView = z.infer<typeof metricCatalogueView>;

export const metricValuesQuery = z.strictObject({
  subjectKind: z.enum(subjectKinds),
  from: isoDate.describe('First day (inclusive) of the periods, on the metric\u2019s period date'),
  to: isoDate.describe('Day after the last (exclusive)'),
  grain: z.enum(periodGrains).optional().describe('Period grain (the definition\u2019s by default)'),
  subjectId: z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(500)])
    .optional()
    .describe('Only these subjects (participant ids, team or unit names, partner ids)'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .describe('Money metrics: the currency added up (the definition\u2019s by default)'),
});
export type MetricValuesQuery = z.infer<typeof metricValuesQuery>;

export const metricValueRow = z.object({
  subjectId: z.string(),
  subjectLabel: z.string().nullable(),
  period: z.string().describe('First day of the period'),
  value: z.number().nullable(),
  numerator: z.number().nullable().describe('Ratios: above the line'),
  denominator: z.number().nullable().describe('Ratios: below the line'),
  rows: z.number().int().describe('Source rows the value was computed from'),
});
export type MetricValueRowView = z.infer<typeof metricValueRow>;

export const metricValuesView = z.object({
  metric: z.string(),
  unit: z.string(),
  currency: z.string().nullable(),
  subjectKind: z.enum(subjectKinds),
  grain: z.enum(periodGrains),
  from: z.string(),
  to: z.string(),
  items: z.array(metricValueRow),
});
export type MetricValuesView = z.infer<typeof metricValuesView>;

// ---------------------------------------------------------------------------------------------
// Activities

export const activityTypeView = z.object({ key: z.string(), name: z.string(), description: z.string(), active: z.boolean() });
export const activityTypeList = z.object({ items: z.array(activityTypeView) });

export const activityView = z.object({
  id: z.uuid(),
  kind: z.string(),
  kindName: z.string(),
  participantId: z.uuid().nullable(),
  participantName: z.string().nullable(),
  partnerId: z.uuid().nullable(),
  partnerName: z.string().nullable(),
  occurredOn: z.string(),
  quantity: z.number().int(),
  note: z.string(),
  source: z.enum(activitySources),
  externalRef: z.string().nullable(),
  createdAt: z.string(),
});
export type ActivityView = z.infer<typeof activityView>;

export const logActivityRequest = z.strictObject({
  kind: z.string().trim().min(1).max(60),
  participantId: z.uuid().nullable().default(null).describe('Whose activity (sellers: leave empty for their own)'),
  partnerId: z.uuid().nullable().default(null),
  occurredOn: isoDate,
  quantity: z.number().int().min(1).max(10_000).default(1),
  note: z.string().trim().max(2000).default(''),
  externalRef: z.string().trim().min(1).max(200).nullable().default(null).describe('Your id for the activity: logging it again changes nothing'),
});
export type LogActivityRequest = z.input<typeof logActivityRequest>;

export const activityListQuery = pageQuery.extend({
  participantId: z.uuid().optional(),
  partnerId: z.uuid().optional(),
  kind: z.string().trim().min(1).max(60).optional(),
  from: isoDate.optional(),
  to: isoDate.optional().describe('Exclusive'),
});
export const activityPage = pageOf(activityView);
export type ActivityPage = z.infer<typeof activityPage>;

export const activityCsvColumns = ['external_ref', 'kind', 'participant_ref', 'partner_id', 'occurred_on', 'quantity', 'note'] as const;
export const requiredActivityCsvColumns = ['kind', 'participant_ref', 'occurred_on'] as const;

export const importActivitiesRequest = z.strictObject({
  csv: z
    .string()
    .min(1)
    .max(5_000_000)
    .describe(`CSV text; columns ${activityCsvColumns.join(', ')} (header line first; ${requiredActivityCsvColumns.join(', ')} required)`),
});

export const activityImportRowIssue = z.object({ line: z.number().int(), column: z.string(), message: z.string() });
export const activityImportReport = z.object({
  rows: z.number().int(),
  inserted: z.number().int(),
  unchanged: z.number().int().describe('Already imported (same external_ref, or the same row when it has none)'),
  rejected: z.number().int(),
  issues: z.array(activityImportRowIssue),
});
export type ActivityImportReport = z.infer<typeof activityImportReport>;

// ---------------------------------------------------------------------------------------------
// Opportunity import (Maven CRM)

export const importNoteView = z.object({ file: z.string(), line: z.number().int(), kind: z.string(), message: z.string() });
export const opportunityImportReport = z.object({
  source: z.string(),
  pipelineRows: z.number().int(),
  teamRows: z.number().int(),
  sellers: z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
  opportunities: z.object({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), rejected: z.number().int() }),
  counts: z.record(z.string(), z.number().int()).describe('Notes per kind (every kind listed, zeros too)'),
  kinds: z.record(z.string(), z.object({ outcome: z.enum(['imported', 'rejected']), label: z.string() })),
  notes: z.array(importNoteView),
});
export type OpportunityImportReport = z.infer<typeof opportunityImportReport>;
