import type { ColumnType } from 'kysely';

export interface NotificationTable {
  notificationId: string;
  appUserId: string;
  partnerId: string | null;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  readAt: Date | null;
}
