import { useQuery } from '@tanstack/react-query';
import type { MetricDefinitionView } from '../../../../../common/api/scorecards.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function listMetrics(signal?: AbortSignal): Promise<{ items: MetricDefinitionView[] }> {
  return api.get<{ items: MetricDefinitionView[] }>(scorecardPaths.metrics, signal);
}

export function useMetrics(enabled = true) {
  return useQuery({ queryKey: scorecardKeys.metrics(), queryFn: ({ signal }) => listMetrics(signal), enabled });
}
