import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ConflictDetail } from '../../../../../../common/api/engagement-conflicts.ts';
import { api } from '../../../../lib/api-client.ts';

export function getConflict(id: string, signal?: AbortSignal): Promise<ConflictDetail> {
  return api.get<ConflictDetail>(`/api/conflicts/${encodeURIComponent(id)}`, signal);
}

export const conflictQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['conflicts', 'detail', id],
    queryFn: ({ signal }) => getConflict(id, signal),
  });

export function useConflict(id: string) {
  return useQuery(conflictQueryOptions(id));
}
