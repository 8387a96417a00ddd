/** The comp-plans routes of the API (server/modules/comp-plans routes), in one place. */
export const compPaths = {
  plans: '/api/comp/plans',
  plan: (id: string) => `/api/comp/plans/${encodeURIComponent(id)}`,
  planVersions: (id: string) => `/api/comp/plans/${encodeURIComponent(id)}/versions`,
  version: (id: string) => `/api/comp/versions/${encodeURIComponent(id)}`,
  versionAction: (id: string, action: 'submit' | 'withdraw' | 'approve' | 'reject' | 'publish') => `/api/comp/versions/${encodeURIComponent(id)}/${action}`,
  versionDiff: (id: string) => `/api/comp/versions/${encodeURIComponent(id)}/diff`,
  versionExport: (id: string) => `/api/comp/versions/${encodeURIComponent(id)}/export`,
};

export const compKeys = {
  plans: (query?: unknown) => (query === undefined ? (['comp', 'plans'] as const) : (['comp', 'plans', query] as const)),
  plan: (id: string) => ['comp', 'plan', id] as const,
  version: (id: string) => ['comp', 'version', id] as const,
  diff: (id: string, from: string | null) => ['comp', 'version', id, 'diff', from] as const,
};
