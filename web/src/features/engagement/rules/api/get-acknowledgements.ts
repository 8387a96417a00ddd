import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AcknowledgementDashboard } from '../../../../../../common/api/engagement-rules.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export function getAcknowledgements(id: string, limit: number, signal?: AbortSignal): Promise<AcknowledgementDashboard> {
  return api.get<AcknowledgementDashboard>(withQuery(`/api/rules/versions/${encodeURIComponent(id)}/acknowledgements`, { limit }), signal);
}

export const acknowledgementsQueryOptions = (id: string, limit = 200) =>
  queryOptions({ queryKey: ['rules', 'version', id, 'acknowledgements', limit], queryFn: ({ signal }) => getAcknowledgements(id, limit, signal) });

export function useAcknowledgements(id: string | null, limit = 200) {
  return useQuery({ ...acknowledgementsQueryOptions(id ?? '', limit), enabled: id !== null });
}
