import { useQuery } from '@tanstack/react-query';
import type { SnapshotDetail } from '../../../../../common/api/scorecard-results.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function getSnapshot(id: string, signal?: AbortSignal): Promise<SnapshotDetail> {
  return api.get<SnapshotDetail>(scorecardPaths.snapshot(id), signal);
}

export function useSnapshot(id: string) {
  return useQuery({ queryKey: scorecardKeys.snapshot(id), queryFn: ({ signal }) => getSnapshot(id, signal) });
}
