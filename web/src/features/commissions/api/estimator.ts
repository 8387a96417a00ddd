import { useMutation, useQuery } from '@tanstack/react-query';
import type { EstimableParticipantsView, EstimateRequest, EstimateView } from '../../../../../common/api/commissions-estimator.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { commissionPaths } from './paths.ts';

/** An estimate is calculated on demand (and audited), so it is a mutation, not a cached query. */
export function useEstimateDeal() {
  return useMutation({
    mutationFn: (input: EstimateRequest) => api.post<EstimateView>(commissionPaths.estimates, input),
  });
}

/** Whom the signed-in user may estimate for (themself and their reports; anyone for comp admins). */
export function useEstimableParticipants(query: { q?: string | undefined; limit: number }, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['comp', 'estimates', 'participants', query],
    queryFn: ({ signal }) => api.get<EstimableParticipantsView>(withQuery(commissionPaths.estimableParticipants, query), signal),
    enabled: options.enabled ?? true,
  });
}
