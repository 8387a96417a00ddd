import { useCallback } from 'react';
import { builtinMetric } from '../../../../common/scorecards/builtin-metrics.ts';
import type { MetricDefinition } from '../../../../common/scorecards/metric.ts';
import { checkScorecardDefinition } from '../../../../common/scorecards/scorecard.ts';

/** Checks a scorecard in the browser against the metric library (built-in and the stored metrics given). */
export function useScorecardCheck(stored: readonly MetricDefinition[]) {
  return useCallback(
    (raw: unknown) => {
      const byKey = new Map(stored.map((m) => [m.key, m]));
      return checkScorecardDefinition(raw, (k) => builtinMetric(k) ?? byKey.get(k));
    },
    [stored],
  );
}
