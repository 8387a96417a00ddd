/** The plan document and rollout routes of the API (server/modules/comp-plans/rollout.routes.ts), in one place. */
export const rolloutPaths = {
  myPlan: '/api/comp/my-plan',
  document: (versionId: string, participantId: string, ext: '' | '.html' | '.pdf' = '') =>
    `/api/comp/documents/${encodeURIComponent(versionId)}/participants/${encodeURIComponent(participantId)}${ext}`,
  recipientAction: (id: string, action: 'open' | 'acknowledge' | 'dispute' | 'resolve') => `/api/comp/rollout-recipients/${encodeURIComponent(id)}/${action}`,
  rollouts: '/api/comp/rollouts',
  rollout: (id: string) => `/api/comp/rollouts/${encodeURIComponent(id)}`,
  recipients: (id: string) => `/api/comp/rollouts/${encodeURIComponent(id)}/recipients`,
};

export const rolloutKeys = {
  all: ['comp-rollout'] as const,
  myPlan: ['comp-rollout', 'my-plan'] as const,
  document: (versionId: string, participantId: string) => ['comp-rollout', 'document', versionId, participantId] as const,
  rollouts: (query: unknown) => ['comp-rollout', 'rollouts', query] as const,
  rollout: (id: string) => ['comp-rollout', 'rollout', id] as const,
  recipients: (id: string, query: unknown) => ['comp-rollout', 'rollout', id, 'recipients', query] as const,
};
