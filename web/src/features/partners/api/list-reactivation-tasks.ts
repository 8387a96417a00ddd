import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { ReactivationTaskView } from '../../../../../common/api/partners-reengagement.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface TaskParams {
  status?: 'open' | 'done' | 'dismissed';
  mine: boolean;
  limit: number;
  offset: number;
}

export function listReactivationTasks(params: TaskParams, signal?: AbortSignal): Promise<{ items: ReactivationTaskView[]; total: number }> {
  return api.get(withQuery('/api/partners/reengagement/tasks', { ...params, mine: params.mine ? 'true' : undefined }), signal);
}

export const reactivationTasksQueryOptions = (params: TaskParams) =>
  queryOptions({
    queryKey: ['partners', 'reactivation-tasks', params],
    queryFn: ({ signal }) => listReactivationTasks(params, signal),
    placeholderData: keepPreviousData,
  });

export function useReactivationTasks(params: TaskParams) {
  return useQuery(reactivationTasksQueryOptions(params));
}
