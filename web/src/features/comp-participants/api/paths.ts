/** The participant, assignment, quota and settings routes of the comp-plans API, in one place. */
export const participantPaths = {
  participants: '/api/comp/participants',
  participant: (id: string) => `/api/comp/participants/${encodeURIComponent(id)}`,
  assignments: '/api/comp/assignments',
  assignment: (id: string) => `/api/comp/assignments/${encodeURIComponent(id)}`,
  quotas: '/api/comp/quotas',
  settings: '/api/comp/settings',
};

export const participantKeys = {
  all: ['comp', 'participants'] as const,
  list: (query: unknown) => ['comp', 'participants', 'list', query] as const,
  detail: (id: string) => ['comp', 'participants', 'detail', id] as const,
  assignments: (query?: unknown) => (query === undefined ? (['comp', 'assignments'] as const) : (['comp', 'assignments', query] as const)),
  quotas: (query?: unknown) => (query === undefined ? (['comp', 'quotas'] as const) : (['comp', 'quotas', query] as const)),
  settings: ['comp', 'settings'] as const,
};
