import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createRegistrationRequest, RegistrationDetail } from '../../../../../../common/api/engagement-registrations.ts';
import { api } from '../../../../lib/api-client.ts';

export type CreateRegistrationBody = z.input<typeof createRegistrationRequest>;

export function createRegistration(input: CreateRegistrationBody): Promise<RegistrationDetail> {
  return api.post<RegistrationDetail>('/api/registrations', input);
}

export function useCreateRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRegistration,
    onSuccess: (r) => {
      queryClient.setQueryData(['registrations', 'detail', r.id], r);
      return queryClient.invalidateQueries({ queryKey: ['registrations', 'list'] });
    },
  });
}
