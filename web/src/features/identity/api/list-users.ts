import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { UserView } from '../../../../../common/api/identity.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface UserPage {
  items: UserView[];
  total: number;
}
export interface UserListParams {
  q?: string;
  limit: number;
  offset: number;
}

export function listUsers(params: UserListParams, signal?: AbortSignal): Promise<UserPage> {
  return api.get<UserPage>(withQuery('/api/users', { ...params }), signal);
}

export const usersQueryOptions = (params: UserListParams) =>
  queryOptions({
    queryKey: ['users', 'list', params],
    queryFn: ({ signal }) => listUsers(params, signal),
    placeholderData: keepPreviousData,
  });

export function useUsers(params: UserListParams, options: { enabled?: boolean } = {}) {
  return useQuery({ ...usersQueryOptions(params), enabled: options.enabled ?? true });
}
