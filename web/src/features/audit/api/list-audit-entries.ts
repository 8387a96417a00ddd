import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AuditEntryView } from '../../../../../common/api/audit.ts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface AuditListParams {
  entityType?: string;
  entityId?: string;
  action?: string;
  beforeSeq?: number;
  limit: number;
}

export function listAuditEntries(params: AuditListParams, signal?: AbortSignal): Promise<{ items: AuditEntryView[] }> {
  return api.get<{ items: AuditEntryView[] }>(withQuery('/api/audit', { ...params }), signal);
}

export const auditEntriesQueryOptions = (params: AuditListParams) =>
  queryOptions({
    queryKey: ['audit', 'list', params],
    queryFn: ({ signal }) => listAuditEntries(params, signal),
    placeholderData: keepPreviousData,
  });

export function useAuditEntries(params: AuditListParams) {
  return useQuery(auditEntriesQueryOptions(params));
}
