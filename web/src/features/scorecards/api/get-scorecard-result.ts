import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { isComputation, type ScorecardComputationView, type ScorecardResult } from '../../../../../common/api/scorecard-results.ts';
import { scoreStatuses, type ScoreStatus } from '../../../../../common/scorecards/scoring.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { computationPollMs, isRunning } from './get-computation.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

/** Subjects per page of a scorecard or snapshot (the API's default). */
export const SUBJECT_PAGE_SIZE = 50;

/** Which page of subjects, and which of them: read from and written to the address (offset, status, q), so a page can be linked. */
export type SubjectPage = { offset: number; status: ScoreStatus | undefined; q: string | undefined };

function pageOf(params: URLSearchParams): SubjectPage {
  const offset = Number(params.get('offset') ?? '0');
  const status = params.get('status');
  const q = params.get('q')?.trim();
  return {
    offset: Number.isInteger(offset) && offset >= 0 ? offset : 0,
    status: scoreStatuses.find((s) => s === status),
    q: q ? q : undefined,
  };
}

export function useSubjectPage(): [SubjectPage, (next: Partial<SubjectPage>) => void] {
  const [params, setParams] = useSearchParams();
  const set = (next: Partial<SubjectPage>) => {
    const p = new URLSearchParams(params);
    // A new filter starts again at the first page.
    const merged = { ...pageOf(params), ...('offset' in next ? {} : { offset: 0 }), ...next };
    for (const [k, v] of Object.entries(merged)) {
      if (v === undefined || v === '' || (k === 'offset' && v === 0)) p.delete(k);
      else p.set(k, String(v));
    }
    setParams(p, { replace: true });
  };
  return [pageOf(params), set];
}

export function pageQuery(page: SubjectPage) {
  return { limit: SUBJECT_PAGE_SIZE, offset: page.offset || undefined, status: page.status, q: page.q };
}

export function getScorecardResult(
  key: string,
  period: string,
  level: string | undefined,
  page: SubjectPage,
  signal?: AbortSignal,
  refresh = false,
): Promise<ScorecardResult | ScorecardComputationView> {
  // A large scorecard is computed by a background job: until it is done the answer is that computation (202).
  return api.get<ScorecardResult | ScorecardComputationView>(
    withQuery(scorecardPaths.result(key), { period, level, ...pageQuery(page), refresh: refresh ? 'true' : undefined }),
    signal,
  );
}

/**
 * The live scorecard, one page of subjects (the page and filters of the address); or, for a large
 * one being computed in the background, that computation, asked about again until the figures are there.
 */
export function useScorecardResult(key: string, period: string, level: string | undefined) {
  const [page] = useSubjectPage();
  return useQuery({
    queryKey: [...scorecardKeys.result(key, period, level), page.offset, page.status ?? '', page.q ?? ''],
    queryFn: ({ signal }) => getScorecardResult(key, period, level, page, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data && isComputation(q.state.data) && isRunning(q.state.data) ? computationPollMs : false),
  });
}

/**
 * Computes the live scorecard again now (the server otherwise pages through a computation of the
 * last few minutes), e.g. after its targets changed; then the page reads the new computation.
 */
export function useRecomputeScorecard(key: string, period: string, level: string | undefined) {
  const [page] = useSubjectPage();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => getScorecardResult(key, period, level, page, undefined, true),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: scorecardKeys.result(key, period, level) }),
  });
}
