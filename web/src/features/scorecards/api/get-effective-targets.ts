import { useQuery } from '@tanstack/react-query';
import type { EffectiveSubjectTargets, EffectiveTargetsResponse } from '../../../../../common/api/scorecard-targets.ts';
import { api } from '../../../lib/api-client.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function getEffectiveTargets(key: string, level: string, subjects: readonly string[], signal?: AbortSignal): Promise<EffectiveTargetsResponse> {
  const q = new URLSearchParams({ level });
  for (const s of subjects) q.append('subject', s);
  return api.get<EffectiveTargetsResponse>(`${scorecardPaths.effectiveTargets(key)}?${q.toString()}`, signal);
}

/**
 * Which target applied to each metric of the subjects shown (one page of a scorecard, at most 100),
 * and why: their own, their tier's, or the scorecard default. Keyed by subject id.
 */
export function useEffectiveTargets(key: string, level: string, subjects: readonly string[]) {
  return useQuery({
    queryKey: scorecardKeys.effectiveTargets(key, level, subjects),
    queryFn: ({ signal }) => getEffectiveTargets(key, level, subjects.slice(0, 100), signal),
    enabled: subjects.length > 0,
    select: (r): ReadonlyMap<string, EffectiveSubjectTargets> => new Map(r.subjects.map((s) => [s.subjectId, s])),
  });
}
