import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ScorecardResult } from '../../../../../common/api/scorecard-results.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function getScorecardResult(key: string, period: string, level: string | undefined, signal?: AbortSignal): Promise<ScorecardResult> {
  return api.get<ScorecardResult>(withQuery(scorecardPaths.result(key), { period, level }), signal);
}

export function useScorecardResult(key: string, period: string, level: string | undefined) {
  return useQuery({
    queryKey: scorecardKeys.result(key, period, level),
    queryFn: ({ signal }) => getScorecardResult(key, period, level, signal),
    placeholderData: keepPreviousData,
  });
}
