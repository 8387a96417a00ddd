import { useQuery } from '@tanstack/react-query';
import type { ScorecardTargetView } from '../../../../../common/api/scorecard-targets.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function listScorecardTargets(key: string, signal?: AbortSignal): Promise<{ items: ScorecardTargetView[] }> {
  return api.get<{ items: ScorecardTargetView[] }>(scorecardPaths.targets(key), signal);
}

/** A scorecard's stored targets (per subject and per partner tier); the defaults are the definition's rows. */
export function useScorecardTargets(key: string) {
  return useQuery({ queryKey: scorecardKeys.targets(key), queryFn: ({ signal }) => listScorecardTargets(key, signal) });
}
