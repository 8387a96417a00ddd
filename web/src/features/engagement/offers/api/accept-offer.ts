import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { api } from '../../../../lib/api-client.ts';

export function acceptOffer(id: string, note?: string): Promise<OfferView> {
  return api.post<OfferView>(`/api/offers/${encodeURIComponent(id)}/accept`, note ? { note } : {});
}

export function useAcceptOffer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) => acceptOffer(id, note),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['offers'] });
      await queryClient.invalidateQueries({ queryKey: ['registrations', 'list'] });
    },
  });
}
