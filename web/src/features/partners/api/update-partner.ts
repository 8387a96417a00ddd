import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { PartnerView, updatePartnerRequest } from '../../../../../common/api/partners.ts';
import { api } from '../../../lib/api-client.ts';

export type UpdatePartnerInput = z.input<typeof updatePartnerRequest>;

export function updatePartner(id: string, input: UpdatePartnerInput): Promise<PartnerView> {
  return api.patch<PartnerView>(`/api/partners/${encodeURIComponent(id)}`, input);
}

export function useUpdatePartner(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdatePartnerInput) => updatePartner(id, input),
    onSuccess: (partner) => {
      queryClient.setQueryData(['partners', 'detail', id], partner);
      return queryClient.invalidateQueries({ queryKey: ['partners', 'list'] });
    },
  });
}
