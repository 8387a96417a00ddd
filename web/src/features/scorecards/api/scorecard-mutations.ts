import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ScorecardComputationView, ScorecardView, SnapshotView, TakeSnapshotRequest } from '../../../../../common/api/scorecard-results.ts';
import type { ScorecardDefinitionInput } from '../../../../../common/scorecards/scorecard.ts';
import { api, apiRequest } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

/** Any change to scorecards or snapshots refreshes everything under ['scorecards']. */
function useScorecardMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: scorecardKeys.all }) });
}

export function useSaveScorecard(existingKey: string | null) {
  return useScorecardMutation((input: ScorecardDefinitionInput) =>
    existingKey
      ? apiRequest<ScorecardView>(scorecardPaths.definition(existingKey), { method: 'PUT', body: input })
      : api.post<ScorecardView>(scorecardPaths.definitions, input),
  );
}

/** Taking a snapshot: the page asks for it in the background (never a long request), so the answer is the computation to follow. */
export function useTakeSnapshot() {
  return useScorecardMutation((input: TakeSnapshotRequest) =>
    api.post<SnapshotView | ScorecardComputationView>(scorecardPaths.snapshots, { ...input, background: true }),
  );
}

export function usePublishSnapshot() {
  return useScorecardMutation((id: string) => api.post<SnapshotView>(scorecardPaths.publish(id)));
}

export function useDiscardSnapshot() {
  return useScorecardMutation((id: string) => api.delete(scorecardPaths.snapshot(id)));
}
