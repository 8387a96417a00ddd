import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface PartnerPage {
  items: PartnerView[];
  total: number;
}
export interface PartnerListParams {
  q?: string;
  tier?: string;
  status?: string;
  region?: string;
  specialisation?: string;
  channelManagerUserId?: string;
  limit: number;
  offset: number;
}

export function listPartners(params: PartnerListParams, signal?: AbortSignal): Promise<PartnerPage> {
  return api.get<PartnerPage>(withQuery('/api/partners', { ...params }), signal);
}

export const partnersQueryOptions = (params: PartnerListParams) =>
  queryOptions({
    queryKey: ['partners', 'list', params],
    queryFn: ({ signal }) => listPartners(params, signal),
    placeholderData: keepPreviousData,
  });

export function usePartners(params: PartnerListParams, options: { enabled?: boolean } = {}) {
  return useQuery({ ...partnersQueryOptions(params), enabled: options.enabled ?? true });
}
