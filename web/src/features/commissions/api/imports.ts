import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnMapping, CommitMode, TransactionImportView } from '../../../../../common/api/commissions-transactions.ts';
import type { Problem } from '../../../../../common/errors.ts';
import { api, ApiError, withQuery } from '../../../lib/api-client.ts';
import { commissionKeys, commissionPaths } from './paths.ts';

export type ImportPage = { items: TransactionImportView[]; total: number };
export type ImportListQuery = { limit: number; offset: number };

/** How often a batch being committed is polled for its progress. */
export const pollMs = 1000;

export function listImports(query: ImportListQuery, signal?: AbortSignal): Promise<ImportPage> {
  return api.get<ImportPage>(withQuery(commissionPaths.imports, query), signal);
}

/** Past import batches, newest first; polled while one of them is being committed. */
export function useImports(query: ImportListQuery) {
  return useQuery({
    queryKey: commissionKeys.importList(query),
    queryFn: ({ signal }) => listImports(query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((i) => i.status === 'committing') ? pollMs : false),
  });
}

export function getImport(id: string, signal?: AbortSignal): Promise<TransactionImportView> {
  return api.get<TransactionImportView>(commissionPaths.import(id), signal);
}

/** One batch; polled while it is being committed so the progress bar moves. */
export function useImport(id: string | null) {
  return useQuery({
    queryKey: commissionKeys.import(id ?? ''),
    queryFn: ({ signal }) => getImport(id ?? '', signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data?.status === 'committing' ? pollMs : false),
  });
}

/**
 * Sends the file itself as the request body (the route streams it): CSV as text/csv, anything else
 * (XLSX) as the spreadsheet type. The API client only sends JSON, so this call is made here.
 */
export async function uploadImport(input: { file: File; csrfToken: string }): Promise<TransactionImportView> {
  const isCsv = /\.(csv|txt|tsv)$/i.test(input.file.name) || input.file.type === 'text/csv';
  const type = isCsv ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  let response: Response;
  try {
    response = await fetch(withQuery(commissionPaths.imports, { sourceName: input.file.name.slice(0, 200) }), {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': type, 'x-csrf-token': input.csrfToken },
      credentials: 'same-origin',
      body: input.file,
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: 'Network error', status: 0, code: 'unavailable', detail: 'The server could not be reached.' });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const p = (body ?? {}) as Partial<Problem>;
    throw new ApiError({
      type: p.type ?? 'about:blank',
      title: p.title ?? response.statusText,
      status: response.status,
      code: p.code ?? (response.status >= 500 ? 'unavailable' : 'bad_request'),
      detail: p.detail ?? `The server answered ${response.status}.`,
      requestId: p.requestId,
      issues: p.issues,
    });
  }
  return body as TransactionImportView;
}

function useImportMutation<I>(fn: (input: I) => Promise<TransactionImportView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (v) => {
      queryClient.setQueryData(commissionKeys.import(v.id), v);
      return queryClient.invalidateQueries({ queryKey: [...commissionKeys.imports(), 'list'] });
    },
  });
}

export function useUploadImport() {
  return useImportMutation(uploadImport);
}

export function useValidateImport() {
  return useImportMutation((input: { id: string; mapping: ColumnMapping }) =>
    api.post<TransactionImportView>(commissionPaths.validate(input.id), { mapping: input.mapping }),
  );
}

export function useCommitImport() {
  return useImportMutation((input: { id: string; mode: CommitMode }) =>
    api.post<TransactionImportView>(commissionPaths.commit(input.id), { mode: input.mode }),
  );
}
