import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AccountSegment, AccountView } from '../../../../../common/api/accounts.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface AccountPage {
  items: AccountView[];
  total: number;
}
export interface AccountListParams {
  q?: string;
  segment?: AccountSegment;
  /** ISO 3166 alpha-2, upper case */
  country?: string;
  limit: number;
  offset: number;
}

export function listAccounts(params: AccountListParams, signal?: AbortSignal): Promise<AccountPage> {
  return api.get<AccountPage>(withQuery('/api/accounts', { ...params }), signal);
}

export const accountsQueryOptions = (params: AccountListParams) =>
  queryOptions({
    queryKey: ['accounts', 'list', params],
    queryFn: ({ signal }) => listAccounts(params, signal),
    placeholderData: keepPreviousData,
  });

export function useAccounts(params: AccountListParams, options: { enabled?: boolean } = {}) {
  return useQuery({ ...accountsQueryOptions(params), enabled: options.enabled ?? true });
}
