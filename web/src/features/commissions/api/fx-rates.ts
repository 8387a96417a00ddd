import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FxRatePage, UpsertFxRateRequest, UpsertFxRateResult } from '../../../../../common/api/commissions-fx.ts';
import { apiRequest, api, withQuery } from '../../../lib/api-client.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

export type FxRateQuery = { currency?: string | undefined; toCurrency?: string | undefined; limit: number; offset: number };

export function useFxRates(query: FxRateQuery) {
  return useQuery({
    queryKey: commissionKeys.fxRateList(query),
    queryFn: ({ signal }) => api.get<FxRatePage>(withQuery(commissionPaths.fxRates, query), signal),
    placeholderData: keepPreviousData,
  });
}

export function useSetFxRate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpsertFxRateRequest) => apiRequest<UpsertFxRateResult>(commissionPaths.fxRates, { method: 'PUT', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commissionKeys.fxRates() }),
  });
}
