import { useQuery } from '@tanstack/react-query';
import type { ScorecardView } from '../../../../../common/api/scorecard-results.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function listScorecards(signal?: AbortSignal): Promise<{ items: ScorecardView[] }> {
  return api.get<{ items: ScorecardView[] }>(scorecardPaths.definitions, signal);
}

export function useScorecards(enabled = true) {
  return useQuery({ queryKey: scorecardKeys.definitions(), queryFn: ({ signal }) => listScorecards(signal), enabled });
}
