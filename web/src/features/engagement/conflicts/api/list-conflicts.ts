import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ConflictList } from '../../../../../../common/api/engagement-conflicts.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface ConflictListParams {
  status: 'open' | 'resolved' | 'all';
  limit: number;
  offset: number;
}

export function listConflicts(params: ConflictListParams, signal?: AbortSignal): Promise<ConflictList> {
  return api.get<ConflictList>(withQuery('/api/conflicts', { ...params }), signal);
}

export const conflictsQueryOptions = (params: ConflictListParams) =>
  queryOptions({
    queryKey: ['conflicts', 'list', params],
    queryFn: ({ signal }) => listConflicts(params, signal),
    placeholderData: keepPreviousData,
  });

export function useConflicts(params: ConflictListParams) {
  return useQuery(conflictsQueryOptions(params));
}
