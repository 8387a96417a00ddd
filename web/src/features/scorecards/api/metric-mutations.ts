import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MetricDefinitionView } from '../../../../../common/api/scorecards.ts';
import type { MetricDefinitionInput } from '../../../../../common/scorecards/metric.ts';
import { api, apiRequest } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function useSaveMetric(existingKey: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MetricDefinitionInput) =>
      existingKey
        ? apiRequest<MetricDefinitionView>(scorecardPaths.metric(existingKey), { method: 'PUT', body: input })
        : api.post<MetricDefinitionView>(scorecardPaths.metrics, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scorecardKeys.metrics() }),
  });
}

export function useDeleteMetric() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => api.delete(scorecardPaths.metric(key)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scorecardKeys.metrics() }),
  });
}
