import { useQuery } from '@tanstack/react-query';
import type { ScorecardComputationView } from '../../../../../common/api/scorecard-results.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

/** How often a computation running in the background is asked about. */
export const computationPollMs = 1000;

export const isRunning = (c: Pick<ScorecardComputationView, 'status'>) => c.status === 'queued' || c.status === 'running';

export function getComputation(id: string, signal?: AbortSignal): Promise<ScorecardComputationView> {
  return api.get<ScorecardComputationView>(scorecardPaths.computation(id), signal);
}

/** A scorecard computed by the worker (a snapshot being taken), polled until it is done or failed. */
export function useComputation(id: string | null) {
  return useQuery({
    queryKey: scorecardKeys.computation(id ?? ''),
    queryFn: ({ signal }) => getComputation(id ?? '', signal),
    enabled: id !== null,
    refetchInterval: (q) => (q.state.data && !isRunning(q.state.data) ? false : computationPollMs),
  });
}
