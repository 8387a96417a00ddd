import { AppShell, Badge, Box, Burger, Group, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { UserMenu } from '../../features/identity/components/user-menu.tsx';
import { NotificationCentre } from '../../features/notifications/components/notification-centre.tsx';
import { audienceOf, navigationFor } from '../areas.ts';
import { BrandMark } from './brand-mark.tsx';
import { HelpMenu } from './help-menu.tsx';
import { ShellNavbar } from './shell-navbar.tsx';

export function ShellLayout() {
  const { user } = useCurrentSession();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const audience = audienceOf(user.roles);
  const groups = navigationFor(user.roles);
  const partner = audience === 'partner';

  // Close the mobile navigation after following a link.
  useEffect(close, [location.pathname, close]);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 236, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg" data-audience={audience}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header bg={partner ? 'portal.9' : 'realign.9'} c="white" withBorder={false} style={{ boxShadow: '0 1px 0 rgba(0,0,0,.15)' }}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" color="white" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <UnstyledButton component={Link} to="/" aria-label="Realign home" c="white">
              <Group gap={8} wrap="nowrap">
                <BrandMark />
                <Text fw={700} fz="lg" c="white" lh={1}>
                  Realign
                </Text>
              </Group>
            </UnstyledButton>
            {partner && (
              <Badge variant="white" color="portal.9" size="md" radius="sm" visibleFrom="xs" data-testid="portal-label">
                Partner portal
              </Badge>
            )}
            {partner && user.partnerName && (
              <Text fz="sm" c="white" visibleFrom="md" fw={500}>
                {user.partnerName}
              </Text>
            )}
          </Group>
          <Group gap={6} wrap="nowrap">
            {!partner && <HelpMenu />}
            <NotificationCentre />
            <UserMenu user={user} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar aria-label="Main navigation">
        <ShellNavbar groups={groups} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <Box maw={1400}>
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
