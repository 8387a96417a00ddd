import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { FrictionTrend } from '../../../../../../common/api/engagement-friction.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface FrictionTrendParams {
  from: string;
  to: string;
  grain: 'week' | 'month';
  tier?: string;
  region?: string;
}

export function getFrictionTrend(params: FrictionTrendParams, signal?: AbortSignal): Promise<FrictionTrend> {
  return api.get<FrictionTrend>(withQuery('/api/friction/trend', { ...params }), signal);
}

export const frictionTrendQueryOptions = (params: FrictionTrendParams) =>
  queryOptions({
    queryKey: ['friction', 'trend', params],
    queryFn: ({ signal }) => getFrictionTrend(params, signal),
    placeholderData: keepPreviousData,
  });

export function useFrictionTrend(params: FrictionTrendParams) {
  return useQuery(frictionTrendQueryOptions(params));
}
