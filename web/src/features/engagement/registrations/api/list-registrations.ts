import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { RegistrationView } from '../../../../../../common/api/engagement-registrations.ts';
import { api, withQuery } from '../../../../lib/api-client.ts';

export interface RegistrationPage {
  items: RegistrationView[];
  total: number;
}
export interface RegistrationListParams {
  q?: string;
  status?: string;
  scenario?: string;
  queue?: 'all' | 'mine' | 'unit';
  overdue?: boolean;
  open?: boolean;
  sort?: 'created' | 'due';
  limit: number;
  offset: number;
}

export function listRegistrations(params: RegistrationListParams, signal?: AbortSignal): Promise<RegistrationPage> {
  return api.get<RegistrationPage>(
    withQuery('/api/registrations', { ...params, overdue: params.overdue ? 'true' : undefined, open: params.open ? 'true' : undefined }),
    signal,
  );
}

export const registrationsQueryOptions = (params: RegistrationListParams) =>
  queryOptions({
    queryKey: ['registrations', 'list', params],
    queryFn: ({ signal }) => listRegistrations(params, signal),
    placeholderData: keepPreviousData,
  });

export function useRegistrations(params: RegistrationListParams) {
  return useQuery(registrationsQueryOptions(params));
}
