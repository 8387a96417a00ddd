import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SnapshotPage } from '../../../../../common/api/scorecard-results.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { pageQuery, useSubjectPage, type SubjectPage } from './get-scorecard-result.ts';
import { scorecardKeys, scorecardPaths } from './paths.ts';

export function getSnapshot(id: string, page: SubjectPage, signal?: AbortSignal): Promise<SnapshotPage> {
  return api.get<SnapshotPage>(withQuery(scorecardPaths.snapshot(id), pageQuery(page)), signal);
}

/** A snapshot with one page of its subjects (the page and filters of the address). */
export function useSnapshot(id: string) {
  const [page] = useSubjectPage();
  return useQuery({
    queryKey: [...scorecardKeys.snapshot(id), page.offset, page.status ?? '', page.q ?? ''],
    queryFn: ({ signal }) => getSnapshot(id, page, signal),
    // The previous page stays on screen while the next loads (but never another snapshot's).
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[2] === id ? keepPreviousData(previous) : undefined),
  });
}
