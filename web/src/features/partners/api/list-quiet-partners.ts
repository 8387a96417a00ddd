import { queryOptions, useQuery } from '@tanstack/react-query';
import type { QuietPartnersView } from '../../../../../common/api/partners-reengagement.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export function listQuietPartners(params: { mine: boolean }, signal?: AbortSignal): Promise<QuietPartnersView> {
  return api.get<QuietPartnersView>(withQuery('/api/partners/quiet', { mine: params.mine ? 'true' : undefined }), signal);
}

export const quietPartnersQueryOptions = (params: { mine: boolean }) =>
  queryOptions({ queryKey: ['partners', 'quiet', params], queryFn: ({ signal }) => listQuietPartners(params, signal) });

export function useQuietPartners(params: { mine: boolean }) {
  return useQuery(quietPartnersQueryOptions(params));
}
