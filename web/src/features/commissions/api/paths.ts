/** The commissions routes of the API (server/modules/commissions/*.routes.ts). */
export const commissionPaths = {
  imports: '/api/comp/transaction-imports',
  import: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}`,
  validate: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}/validate`,
  commit: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}/commit`,
  runs: '/api/comp/runs',
  run: (id: string) => `/api/comp/runs/${encodeURIComponent(id)}`,
  statements: '/api/comp/statements',
  lineTransactions: (runId: string, participantId: string, index: number) =>
    `/api/comp/statements/${encodeURIComponent(runId)}/${encodeURIComponent(participantId)}/lines/${index}/transactions`,
};

export const commissionKeys = {
  imports: () => ['comp', 'transaction-imports'] as const,
  importList: (query: unknown) => ['comp', 'transaction-imports', 'list', query] as const,
  import: (id: string) => ['comp', 'transaction-imports', 'one', id] as const,
  runs: () => ['comp', 'runs'] as const,
  runList: (query: unknown) => ['comp', 'runs', 'list', query] as const,
  statements: () => ['comp', 'statements'] as const,
  statement: (query: unknown) => ['comp', 'statements', query] as const,
  lineTransactions: (runId: string, participantId: string, index: number, query: unknown) =>
    ['comp', 'statements', 'line', runId, participantId, index, query] as const,
};
