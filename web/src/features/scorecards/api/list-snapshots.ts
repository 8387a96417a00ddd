import { useQuery } from '@tanstack/react-query';
import type { SnapshotView } from '../../../../../common/api/scorecard-results.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function listSnapshots(scorecard: string | undefined, signal?: AbortSignal): Promise<{ items: SnapshotView[] }> {
  return api.get<{ items: SnapshotView[] }>(withQuery(scorecardPaths.snapshots, { scorecard }), signal);
}

export function useSnapshots(scorecard?: string) {
  return useQuery({ queryKey: scorecardKeys.snapshots(scorecard), queryFn: ({ signal }) => listSnapshots(scorecard, signal) });
}
