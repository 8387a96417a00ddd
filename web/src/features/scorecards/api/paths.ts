export const scorecardPaths = {
  definitions: '/api/scorecards/definitions',
  definition: (key: string) => `/api/scorecards/definitions/${encodeURIComponent(key)}`,
  result: (key: string) => `/api/scorecards/definitions/${encodeURIComponent(key)}/result`,
  snapshots: '/api/scorecards/snapshots',
  snapshot: (id: string) => `/api/scorecards/snapshots/${encodeURIComponent(id)}`,
  publish: (id: string) => `/api/scorecards/snapshots/${encodeURIComponent(id)}/publish`,
  exportFile: (id: string, format: 'csv' | 'xlsx' | 'pdf') => `/api/scorecards/snapshots/${encodeURIComponent(id)}/export?format=${format}`,
  metrics: '/api/scorecards/metrics',
  metric: (key: string) => `/api/scorecards/metrics/${encodeURIComponent(key)}`,
  activities: '/api/scorecards/activities',
  activityTypes: '/api/scorecards/activity-types',
};

export const scorecardKeys = {
  all: ['scorecards'] as const,
  definitions: () => ['scorecards', 'definitions'] as const,
  result: (key: string, period: string, level: string | undefined) => ['scorecards', 'result', key, period, level ?? ''] as const,
  snapshots: (scorecard?: string) => ['scorecards', 'snapshots', scorecard ?? ''] as const,
  snapshot: (id: string) => ['scorecards', 'snapshot', id] as const,
  metrics: () => ['scorecards', 'metrics'] as const,
  activities: (offset: number) => ['scorecards', 'activities', offset] as const,
  activityTypes: () => ['scorecards', 'activity-types'] as const,
};
