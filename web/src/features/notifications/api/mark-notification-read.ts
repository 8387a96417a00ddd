import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { notificationsQueryKey, type NotificationList } from './list-notifications.ts';

export function markNotificationRead(id: string): Promise<void> {
  return api.post<void>(`/api/notifications/${encodeURIComponent(id)}/read`);
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationRead,
    onSuccess: (_result, id) => {
      queryClient.setQueryData<NotificationList>(notificationsQueryKey, (list) => {
        if (!list) return list;
        const target = list.items.find((n) => n.id === id);
        if (!target || target.readAt) return list;
        const readAt = new Date().toISOString();
        return {
          unread: Math.max(0, list.unread - 1),
          items: list.items.map((n) => (n.id === id ? { ...n, readAt } : n)),
        };
      });
      return queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
    },
  });
}
