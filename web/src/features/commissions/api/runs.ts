import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CommissionRunView, CreateCommissionRunRequest } from '../../../../../common/api/commissions-runs.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { pollMs } from './imports.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

export type RunPage = { items: CommissionRunView[]; total: number };
export type RunListQuery = { limit: number; offset: number };

export function listRuns(query: RunListQuery, signal?: AbortSignal): Promise<RunPage> {
  return api.get<RunPage>(withQuery(commissionPaths.runs, query), signal);
}

/** Period runs, newest first; polled while a run is queued or running so its progress moves. */
export function useRuns(query: RunListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: commissionKeys.runList(query),
    queryFn: ({ signal }) => listRuns(query, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
    refetchInterval: (q) => (q.state.data?.items.some((r) => r.status === 'queued' || r.status === 'running') ? pollMs : false),
  });
}

export function useCreateRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCommissionRunRequest) => api.post<CommissionRunView>(commissionPaths.runs, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commissionKeys.runs() }),
  });
}
