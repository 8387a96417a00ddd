import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { StatementView } from '../../../../../common/api/commissions-runs.ts';
import type { LineTransactionView } from '../../../../../common/api/commissions-runs.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

/** runId/participantId left out: the latest completed run / the signed-in user's own participant. */
export type StatementQuery = { runId?: string | undefined; participantId?: string | undefined };

export function getStatement(query: StatementQuery, signal?: AbortSignal): Promise<StatementView> {
  return api.get<StatementView>(withQuery(commissionPaths.statements, query), signal);
}

export function useStatement(query: StatementQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: commissionKeys.statement(query),
    queryFn: ({ signal }) => getStatement(query, signal),
    enabled: options.enabled ?? true,
    retry: false,
  });
}

export type LineTransactionPage = { items: LineTransactionView[]; total: number };

export function useLineTransactions(runId: string, participantId: string, index: number, query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: commissionKeys.lineTransactions(runId, participantId, index, query),
    queryFn: ({ signal }) => api.get<LineTransactionPage>(withQuery(commissionPaths.lineTransactions(runId, participantId, index), query), signal),
    placeholderData: keepPreviousData,
  });
}
