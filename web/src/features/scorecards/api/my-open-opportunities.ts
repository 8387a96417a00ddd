import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MyOpenOpportunityList } from '../../../../../common/api/scorecard-number.ts';
import { api, apiRequest, withQuery } from '../../../lib/api-client.ts';

export function listMyOpenOpportunities(period: string, signal?: AbortSignal): Promise<MyOpenOpportunityList> {
  return api.get<MyOpenOpportunityList>(withQuery('/api/scorecards/my-open-opportunities', { period }), signal);
}

export function useMyOpenOpportunities(period: string) {
  return useQuery({ queryKey: ['scorecards', 'my-open-opportunities', period], queryFn: ({ signal }) => listMyOpenOpportunities(period, signal) });
}

/** Sets the forecast category of one of the seller's deals; the totals and the list are read again. */
export function useSetForecastCategory() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; forecastCategory: string }) =>
      apiRequest<{ id: string; forecastCategory: string }>(`/api/scorecards/opportunities/${encodeURIComponent(v.id)}/forecast-category`, {
        method: 'PATCH',
        body: { forecastCategory: v.forecastCategory },
      }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['scorecards', 'number'] }),
        queryClient.invalidateQueries({ queryKey: ['scorecards', 'my-open-opportunities'] }),
      ]),
  });
}
