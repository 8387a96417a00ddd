import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScorecardTargetInput, ScorecardTargetView, TargetImportCommit, TargetImportReport } from '../../../../../common/api/scorecard-targets.ts';
import { api, apiRequest } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

/** A target change re-scores the scorecard: everything under ['scorecards'] is refreshed. */
function useTargetMutation<I, O>(fn: (input: I) => Promise<O>, refresh: (input: I) => boolean = () => true) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_out, input) => (refresh(input) ? queryClient.invalidateQueries({ queryKey: scorecardKeys.all }) : undefined),
  });
}

/** Adds or replaces one target (the same metric and subject replace the stored one). */
export function useSaveTarget(key: string) {
  return useTargetMutation((target: ScorecardTargetInput) =>
    apiRequest<{ items: ScorecardTargetView[] }>(scorecardPaths.targets(key), { method: 'PUT', body: { targets: [target] } }),
  );
}

export function useDeleteTarget(key: string) {
  return useTargetMutation((id: string) => api.delete(scorecardPaths.target(key, id)));
}

/** Checks (commit none) or saves (good rows) a CSV of targets; the report lists every bad row by line. */
export function useImportTargets(key: string) {
  return useTargetMutation(
    (input: { csv: string; commit: TargetImportCommit }) => api.post<TargetImportReport>(scorecardPaths.targetsImport(key), input),
    (input) => input.commit !== 'none',
  );
}
