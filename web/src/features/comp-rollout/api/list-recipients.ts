import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { RecipientPage } from '../../../../../common/api/comp-rollout.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export type RecipientQuery = { status?: string | undefined; team?: string | undefined; q?: string | undefined; limit: number; offset: number };

export function listRecipients(id: string, query: RecipientQuery, signal?: AbortSignal): Promise<RecipientPage> {
  return api.get<RecipientPage>(withQuery(rolloutPaths.recipients(id), query), signal);
}

export function useRecipients(id: string, query: RecipientQuery) {
  return useQuery({
    queryKey: rolloutKeys.recipients(id, query),
    queryFn: ({ signal }) => listRecipients(id, query, signal),
    placeholderData: keepPreviousData,
  });
}
