import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateParticipantRequest, ParticipantPage, ParticipantView, UpdateParticipantRequest } from '../../../../../common/api/comp-plans.ts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { participantKeys, participantPaths } from './paths.ts';

export type ParticipantListQuery = {
  q?: string | undefined;
  team?: string | undefined;
  planId?: string | undefined;
  managerId?: string | undefined;
  limit: number;
  offset: number;
};

export function listParticipants(query: ParticipantListQuery, signal?: AbortSignal): Promise<ParticipantPage> {
  return api.get<ParticipantPage>(withQuery(participantPaths.participants, query), signal);
}

export function useParticipants(query: ParticipantListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: participantKeys.list(query),
    queryFn: ({ signal }) => listParticipants(query, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

export function getParticipant(id: string, signal?: AbortSignal): Promise<ParticipantView> {
  return api.get<ParticipantView>(participantPaths.participant(id), signal);
}

export function useParticipant(id: string | null) {
  return useQuery({ queryKey: participantKeys.detail(id ?? ''), queryFn: ({ signal }) => getParticipant(id ?? '', signal), enabled: id !== null });
}

/** A change to a participant refreshes it, every participant list and the assignments (their names show there). */
function useParticipantMutation<I>(fn: (input: I) => Promise<ParticipantView>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (p) => {
      queryClient.setQueryData(participantKeys.detail(p.id), p);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: [...participantKeys.all, 'list'] }),
        queryClient.invalidateQueries({ queryKey: participantKeys.assignments() }),
      ]);
    },
  });
}

export function useCreateParticipant() {
  return useParticipantMutation((input: CreateParticipantRequest) => api.post<ParticipantView>(participantPaths.participants, input));
}

export function useUpdateParticipant(id: string) {
  return useParticipantMutation((input: UpdateParticipantRequest) => api.patch<ParticipantView>(participantPaths.participant(id), input));
}
