/** The commissions routes of the API (server/modules/commissions/*.routes.ts). */
export const commissionPaths = {
  disputes: '/api/comp/disputes',
  disputeAssignees: '/api/comp/disputes/assignees',
  dispute: (id: string) => `/api/comp/disputes/${encodeURIComponent(id)}`,
  imports: '/api/comp/transaction-imports',
  import: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}`,
  validate: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}/validate`,
  commit: (id: string) => `/api/comp/transaction-imports/${encodeURIComponent(id)}/commit`,
  runs: '/api/comp/runs',
  run: (id: string) => `/api/comp/runs/${encodeURIComponent(id)}`,
  statements: '/api/comp/statements',
  lineTransactions: (runId: string, participantId: string, index: number) =>
    `/api/comp/statements/${encodeURIComponent(runId)}/${encodeURIComponent(participantId)}/lines/${index}/transactions`,
  estimates: '/api/comp/estimates',
  estimableParticipants: '/api/comp/estimates/participants',
  periods: '/api/comp/periods',
  period: (id: string) => `/api/comp/periods/${encodeURIComponent(id)}`,
  periodAction: (id: string, action: 'close' | 'approve' | 'restate') => `/api/comp/periods/${encodeURIComponent(id)}/${action}`,
  periodResults: (id: string) => `/api/comp/periods/${encodeURIComponent(id)}/results`,
  payrollCsv: (id: string) => `/api/comp/periods/${encodeURIComponent(id)}/payroll.csv`,
  fxRates: '/api/comp/fx-rates',
};

export const commissionKeys = {
  disputes: () => ['comp', 'disputes'] as const,
  disputeList: (query: unknown) => ['comp', 'disputes', 'list', query] as const,
  dispute: (id: string) => ['comp', 'disputes', 'one', id] as const,
  disputeAssignees: () => ['comp', 'disputes', 'assignees'] as const,
  imports: () => ['comp', 'transaction-imports'] as const,
  importList: (query: unknown) => ['comp', 'transaction-imports', 'list', query] as const,
  import: (id: string) => ['comp', 'transaction-imports', 'one', id] as const,
  runs: () => ['comp', 'runs'] as const,
  runList: (query: unknown) => ['comp', 'runs', 'list', query] as const,
  statements: () => ['comp', 'statements'] as const,
  statement: (query: unknown) => ['comp', 'statements', query] as const,
  lineTransactions: (runId: string, participantId: string, index: number, query: unknown) =>
    ['comp', 'statements', 'line', runId, participantId, index, query] as const,
  periods: () => ['comp', 'periods'] as const,
  periodList: (query: unknown) => ['comp', 'periods', 'list', query] as const,
  period: (id: string) => ['comp', 'periods', 'one', id] as const,
  fxRates: () => ['comp', 'fx-rates'] as const,
  fxRateList: (query: unknown) => ['comp', 'fx-rates', 'list', query] as const,
};
