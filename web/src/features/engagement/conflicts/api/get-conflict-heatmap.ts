import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ConflictHeatmap } from '../../../../../../common/api/engagement-conflicts.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface HeatmapParams {
  from?: string;
  to?: string;
  limit?: number;
}

export function getConflictHeatmap(params: HeatmapParams, signal?: AbortSignal): Promise<ConflictHeatmap> {
  return api.get<ConflictHeatmap>(withQuery('/api/conflicts/heatmap', { ...params }), signal);
}

export const conflictHeatmapQueryOptions = (params: HeatmapParams) =>
  queryOptions({
    queryKey: ['conflicts', 'heatmap', params],
    queryFn: ({ signal }) => getConflictHeatmap(params, signal),
    placeholderData: keepPreviousData,
  });

export function useConflictHeatmap(params: HeatmapParams) {
  return useQuery(conflictHeatmapQueryOptions(params));
}
