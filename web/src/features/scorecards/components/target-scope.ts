import type { EffectiveTarget, TargetSubjectKind } from '../../../../../common/api/scorecard-targets.ts';
import type { MetricDefinitionView } from '../../../../../common/api/scorecards.ts';
import { formatMetricValue } from '../../../../../common/scorecards/format.ts';
import { subjectKindLabels, type MetricDirection, type MetricUnit } from '../../../../../common/scorecards/metric.ts';
import type { ScorecardDefinition } from '../../../../../common/scorecards/scorecard.ts';

/** Words for the scope of a target: a level of the scorecard, or every partner of a tier. */
export const targetKindLabels: Record<TargetSubjectKind, string> = { ...subjectKindLabels, partner_tier: 'Partner tier' };

/** A metric row of a scorecard with what a target form and table need to show its values. */
export type TargetMetricRow = {
  metric: string;
  name: string;
  unit: MetricUnit;
  currency: string | null;
  direction: MetricDirection;
  target: number;
  redFlag: number;
};

/** The scorecard's rows (their defaults) with the metric library's names and units. */
export function targetMetricRows(definition: Pick<ScorecardDefinition, 'rows'>, metrics: readonly MetricDefinitionView[]): TargetMetricRow[] {
  return definition.rows.map((r) => {
    const m = metrics.find((x) => x.definition.key === r.metric)?.definition;
    return {
      metric: r.metric,
      name: m?.name ?? r.metric,
      unit: m?.unit ?? 'number',
      currency: m?.currency ?? null,
      direction: m?.direction ?? 'higher_is_better',
      target: r.target,
      redFlag: r.redFlag,
    };
  });
}

const capital = (s: string) => (s ? `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}` : s);

/** Where an applied target comes from, short: "tier Gold", "own target", "scorecard default". */
export function targetSourceLabel(t: Pick<EffectiveTarget, 'source' | 'tier'>): string {
  return t.source === 'tier' ? `tier ${capital(t.tier ?? '')}` : t.source === 'subject' ? 'own target' : 'scorecard default';
}

/** "target 55.0% (tier Gold)" */
export function appliedTargetLine(t: EffectiveTarget): string {
  return `target ${formatMetricValue(t.target, t.unit, t.currency)} (${targetSourceLabel(t)})`;
}
