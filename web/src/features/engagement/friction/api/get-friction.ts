import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { FrictionGroupBy, FrictionReport } from '../../../../../../common/api/engagement-friction.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface FrictionParams {
  from: string;
  to: string;
  groupBy: FrictionGroupBy;
  tier?: string;
  region?: string;
}

export function getFriction(params: FrictionParams, signal?: AbortSignal): Promise<FrictionReport> {
  return api.get<FrictionReport>(withQuery('/api/friction', { ...params }), signal);
}

export const frictionQueryOptions = (params: FrictionParams) =>
  queryOptions({
    queryKey: ['friction', 'report', params],
    queryFn: ({ signal }) => getFriction(params, signal),
    placeholderData: keepPreviousData,
  });

export function useFriction(params: FrictionParams) {
  return useQuery(frictionQueryOptions(params));
}
