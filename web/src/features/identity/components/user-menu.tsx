import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import type { UserView } from '../../../../../common/api/identity.ts';
import { RoleBadges } from '../../../components/ui/role-badges.tsx';
import { initials } from '../../../lib/format.ts';
import { useLogout } from '../api/logout.ts';

export function UserMenu({ user }: { user: UserView }) {
  const logout = useLogout();
  const navigate = useNavigate();
  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) });
  };
  return (
    <Menu position="bottom-end" width={280} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${user.displayName}`} c="white" px={6} py={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar size={28} radius="xl" color="white" variant="filled" aria-hidden>
              <Text fz="xs" fw={700} c="dark.8">
                {initials(user.displayName)}
              </Text>
            </Avatar>
            <Text fz="sm" fw={500} c="white" visibleFrom="sm" maw={180} truncate>
              {user.displayName}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack gap={4} px="sm" py="xs">
          <Text fw={600} fz="sm">
            {user.displayName}
          </Text>
          <Text fz="xs" c="dimmed">
            {user.email}
          </Text>
          {user.partnerName && (
            <Text fz="xs" c="dimmed">
              {user.partnerName}
            </Text>
          )}
          <RoleBadges roles={user.roles} />
        </Stack>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={signOut} disabled={logout.isPending}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
