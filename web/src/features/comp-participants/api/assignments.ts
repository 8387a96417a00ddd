import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AssignmentView, CreateAssignmentRequest } from '../../../../../common/api/comp-plans.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { compKeys } from '../../comp-plans/api/paths.ts';
import { participantKeys, participantPaths } from './paths.ts';

export type AssignmentListQuery = { participantId?: string; planId?: string; on?: string; limit: number; offset: number };
export type AssignmentPage = { items: AssignmentView[]; total: number };

export function listAssignments(query: AssignmentListQuery, signal?: AbortSignal): Promise<AssignmentPage> {
  return api.get<AssignmentPage>(withQuery(participantPaths.assignments, query), signal);
}

export function useAssignments(query: AssignmentListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: participantKeys.assignments(query),
    queryFn: ({ signal }) => listAssignments(query, signal),
    enabled: options.enabled ?? true,
  });
}

/** The maximum the API lists in one page of assignments. */
const bulkLimit = 500;

/**
 * The assignment covering `on` for each of these participants. The API has no "current plan" on a
 * participant, so: one request for every assignment that day when they fit in a page, otherwise one
 * request per listed participant.
 */
export function useCurrentAssignments(participantIds: readonly string[], on: string): { byParticipant: Map<string, AssignmentView>; pending: boolean } {
  const bulk = useAssignments({ on, limit: bulkLimit, offset: 0 }, { enabled: participantIds.length > 0 });
  const tooMany = bulk.data !== undefined && bulk.data.total > bulk.data.items.length;
  const each = useQueries({
    queries: participantIds.map((participantId) => {
      const query = { participantId, on, limit: 1, offset: 0 };
      return {
        queryKey: participantKeys.assignments(query),
        queryFn: ({ signal }: { signal: AbortSignal }) => listAssignments(query, signal),
        enabled: tooMany,
      };
    }),
  });
  const byParticipant = new Map<string, AssignmentView>();
  if (tooMany) {
    for (const r of each) for (const a of r.data?.items ?? []) byParticipant.set(a.participantId, a);
  } else {
    for (const a of bulk.data?.items ?? []) byParticipant.set(a.participantId, a);
  }
  return { byParticipant, pending: bulk.isPending || (tooMany && each.some((r) => r.isPending)) };
}

/** Assignment changes refresh the assignments, the participant lists (plan filter) and the plans (participants now). */
function useAssignmentMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: participantKeys.assignments() }),
        queryClient.invalidateQueries({ queryKey: [...participantKeys.all, 'list'] }),
        queryClient.invalidateQueries({ queryKey: compKeys.plans() }),
        queryClient.invalidateQueries({ queryKey: ['comp', 'plan'] }),
      ]),
  });
}

export function useCreateAssignment() {
  return useAssignmentMutation((input: CreateAssignmentRequest) => api.post<AssignmentView>(participantPaths.assignments, input));
}

export function useUpdateAssignment() {
  return useAssignmentMutation(({ id, ...body }: { id: string; effectiveFrom?: string; effectiveTo?: string | null }) =>
    api.patch<AssignmentView>(participantPaths.assignment(id), body),
  );
}

export function useDeleteAssignment() {
  return useAssignmentMutation((id: string) => api.delete(participantPaths.assignment(id)));
}
