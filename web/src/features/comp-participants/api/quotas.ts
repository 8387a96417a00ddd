import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QuotaView, UpsertQuotasReport, UpsertQuotasRequest } from '../../../../../common/api/comp-plans.ts';
import { apiRequest, api, withQuery } from '../../../lib/api-client.ts';
import { participantKeys, participantPaths } from './paths.ts';

export type QuotaListQuery = { participantId?: string; from?: string; to?: string; limit: number; offset: number };
export type QuotaPage = { items: QuotaView[]; total: number };

export function listQuotas(query: QuotaListQuery, signal?: AbortSignal): Promise<QuotaPage> {
  return api.get<QuotaPage>(withQuery(participantPaths.quotas, query), signal);
}

export function useQuotas(query: QuotaListQuery) {
  return useQuery({ queryKey: participantKeys.quotas(query), queryFn: ({ signal }) => listQuotas(query, signal), placeholderData: keepPreviousData });
}

/** All or nothing: when any row has a problem the server saves nothing and lists every problem with its row. */
export function useUpsertQuotas() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpsertQuotasRequest) => apiRequest<UpsertQuotasReport>(participantPaths.quotas, { method: 'PUT', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: participantKeys.quotas() }),
  });
}
