import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CommissionPeriodView, CreateCommissionPeriodRequest, RestatementView } from '../../../../../common/api/commissions-close.ts';
import type { PeriodResultsView } from '../../../../../common/api/commissions-period-results.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

export type PeriodPage = { items: CommissionPeriodView[]; total: number };
export type PeriodListQuery = { limit: number; offset: number };

export function usePeriods(query: PeriodListQuery) {
  return useQuery({
    queryKey: commissionKeys.periodList(query),
    queryFn: ({ signal }) => api.get<PeriodPage>(withQuery(commissionPaths.periods, query), signal),
    placeholderData: keepPreviousData,
  });
}

export function usePeriod(id: string) {
  return useQuery({
    queryKey: commissionKeys.period(id),
    queryFn: ({ signal }) => api.get<CommissionPeriodView>(commissionPaths.period(id), signal),
    retry: false,
  });
}

export function usePeriodResults(id: string, limit = 20) {
  return useQuery({
    queryKey: [...commissionKeys.period(id), 'results', limit],
    queryFn: ({ signal }) => api.get<PeriodResultsView>(withQuery(commissionPaths.periodResults(id), { limit }), signal),
  });
}

/** Every period mutation changes the period, its versions and possibly another period's adjustments: refresh them all. */
function useInvalidatePeriods() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: commissionKeys.periods() });
}

export function useCreatePeriod() {
  const invalidate = useInvalidatePeriods();
  return useMutation({
    mutationFn: (input: CreateCommissionPeriodRequest) => api.post<CommissionPeriodView>(commissionPaths.periods, input),
    onSuccess: invalidate,
  });
}

export function useClosePeriod(id: string) {
  const invalidate = useInvalidatePeriods();
  return useMutation({
    mutationFn: (runId: string) => api.post<CommissionPeriodView>(commissionPaths.periodAction(id, 'close'), { runId }),
    onSuccess: invalidate,
  });
}

export function useApprovePayouts(id: string) {
  const invalidate = useInvalidatePeriods();
  return useMutation({
    mutationFn: () => api.post<CommissionPeriodView>(commissionPaths.periodAction(id, 'approve'), {}),
    onSuccess: invalidate,
  });
}

export function useRestatePeriod(id: string) {
  const invalidate = useInvalidatePeriods();
  return useMutation({
    mutationFn: (runId: string) => api.post<RestatementView>(commissionPaths.periodAction(id, 'restate'), { runId }),
    onSuccess: invalidate,
  });
}
