import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ActivityPage } from '../../../../../common/api/scorecards.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function listActivities(offset: number, limit: number, signal?: AbortSignal): Promise<ActivityPage> {
  return api.get<ActivityPage>(withQuery(scorecardPaths.activities, { offset, limit }), signal);
}

export function useActivities(offset: number, limit: number) {
  return useQuery({
    queryKey: scorecardKeys.activities(offset),
    queryFn: ({ signal }) => listActivities(offset, limit, signal),
    placeholderData: keepPreviousData,
  });
}
