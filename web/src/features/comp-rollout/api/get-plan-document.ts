import { useQuery } from '@tanstack/react-query';
import type { PlanDocumentView } from '../../../../../common/api/comp-rollout.ts';
import { api } from '../../../lib/api-client.ts';
import { rolloutKeys, rolloutPaths } from './paths.ts';

export function getPlanDocument(versionId: string, participantId: string, signal?: AbortSignal): Promise<PlanDocumentView> {
  return api.get<PlanDocumentView>(rolloutPaths.document(versionId, participantId), signal);
}

export function usePlanDocument(versionId: string | null, participantId: string | null) {
  return useQuery({
    queryKey: rolloutKeys.document(versionId ?? '', participantId ?? ''),
    queryFn: ({ signal }) => getPlanDocument(versionId ?? '', participantId ?? '', signal),
    enabled: versionId !== null && participantId !== null,
  });
}
