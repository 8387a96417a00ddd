import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NotificationView } from '../../../../../common/api/notifications.ts';
import { api } from '../../../lib/api-client.ts';

export interface NotificationList {
  items: NotificationView[];
  unread: number;
}

export function listNotifications(signal?: AbortSignal): Promise<NotificationList> {
  return api.get<NotificationList>('/api/notifications', signal);
}

export const notificationsQueryKey = ['notifications'] as const;

export const notificationsQueryOptions = () =>
  queryOptions({
    queryKey: notificationsQueryKey,
    queryFn: ({ signal }) => listNotifications(signal),
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
  });

export function useNotifications() {
  return useQuery(notificationsQueryOptions());
}
