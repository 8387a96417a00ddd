import { ActionIcon, Anchor, Box, Button, Divider, Group, Indicator, Popover, ScrollArea, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBell, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { NotificationView } from '../../../../../common/api/notifications.ts';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useNotifications } from '../api/list-notifications.ts';
import { useMarkAllNotificationsRead } from '../api/mark-all-notifications-read.ts';
import { useMarkNotificationRead } from '../api/mark-notification-read.ts';

function NotificationItem({ item, onOpen }: { item: NotificationView; onOpen: () => void }) {
  const markRead = useMarkNotificationRead();
  const unread = !item.readAt;
  const follow = () => {
    if (unread) markRead.mutate(item.id);
    onOpen();
  };
  const title = (
    <Text fz="sm" fw={unread ? 600 : 500} lh={1.3}>
      {item.title}
    </Text>
  );
  return (
    <Box
      component="li"
      px="sm"
      py={8}
      bg={unread ? 'var(--mantine-primary-color-light)' : undefined}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
        <Stack gap={2} miw={0}>
          {item.link ? (
            // In-app links route client-side; anything else is an ordinary link.
            item.link.startsWith('/') ? (
              <Anchor component={Link} to={item.link} c="inherit" onClick={follow}>
                {title}
              </Anchor>
            ) : (
              <Anchor href={item.link} target="_blank" rel="noopener noreferrer" c="inherit" onClick={follow}>
                {title}
              </Anchor>
            )
          ) : (
            title
          )}
          {item.body && (
            <Text fz="xs" c="dimmed" lineClamp={3}>
              {item.body}
            </Text>
          )}
          <Text fz="xs" c="dimmed" title={formatDateTime(item.createdAt)}>
            {formatRelative(item.createdAt)}
          </Text>
        </Stack>
        {unread && (
          <Tooltip label="Mark as read">
            <ActionIcon
              variant="subtle"
              size="sm"
              aria-label={`Mark “${item.title}” as read`}
              loading={markRead.isPending}
              onClick={() => markRead.mutate(item.id)}
            >
              <IconCheck size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
    </Box>
  );
}

export function NotificationCentre() {
  const [opened, setOpened] = useState(false);
  const notifications = useNotifications();
  const markAll = useMarkAllNotificationsRead();
  const unread = notifications.data?.unread ?? 0;
  const items = notifications.data?.items ?? [];
  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={380} shadow="md" trapFocus>
      <Popover.Target>
        <UnstyledButton onClick={() => setOpened((o) => !o)} aria-label={label} c="white" p={6} style={{ borderRadius: 4, display: 'flex' }}>
          <Indicator label={unread > 99 ? '99+' : unread} size={17} color="red.9" offset={2} disabled={unread === 0} withBorder fw={700}>
            <IconBell size={21} stroke={1.6} aria-hidden />
          </Indicator>
        </UnstyledButton>
      </Popover.Target>
      <Popover.Dropdown p={0} role="dialog" aria-label="Notifications">
        <Group justify="space-between" px="sm" py={8}>
          <Text fw={600} fz="sm">
            Notifications
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => markAll.mutate()} disabled={unread === 0} loading={markAll.isPending}>
            Mark all read
          </Button>
        </Group>
        <Divider />
        {notifications.isError ? (
          <Box p="sm">
            <QueryError error={notifications.error} onRetry={() => void notifications.refetch()} />
          </Box>
        ) : items.length === 0 ? (
          <Text fz="sm" c="dimmed" ta="center" py="lg" px="sm">
            {notifications.isPending ? 'Loading…' : 'You have no notifications.'}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={420} type="auto">
            <Stack gap={0} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
              {items.map((item) => (
                <NotificationItem key={item.id} item={item} onOpen={() => setOpened(false)} />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
