import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ReengagementSummaryView } from '../../../../../common/api/partners-reengagement.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export function getReengagementSummary(params: { from: string; to: string }, signal?: AbortSignal): Promise<ReengagementSummaryView> {
  return api.get<ReengagementSummaryView>(withQuery('/api/partners/reengagement/summary', { ...params }), signal);
}

export const reengagementSummaryQueryOptions = (params: { from: string; to: string }) =>
  queryOptions({ queryKey: ['partners', 'reengagement-summary', params], queryFn: ({ signal }) => getReengagementSummary(params, signal) });

export function useReengagementSummary(params: { from: string; to: string }) {
  return useQuery(reengagementSummaryQueryOptions(params));
}
