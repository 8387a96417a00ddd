import { Anchor, Paper, SimpleGrid, Skeleton, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { useUsers } from '../../features/identity/api/list-users.ts';
import { useNotifications } from '../../features/notifications/api/list-notifications.ts';
import { usePartners } from '../../features/partners/api/list-partners.ts';
import { formatInteger } from '../../lib/format.ts';
import { AreaCards } from '../area-cards.tsx';
import { findArea, navigationFor } from '../areas.ts';

function Stat({ label, value, to, loading }: { label: string; value: number | undefined; to?: string; loading: boolean }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={700} lts={0.4}>
        {label}
      </Text>
      {loading ? (
        <Skeleton h={30} w={60} mt={6} />
      ) : (
        <Text fz={28} fw={700} lh={1.2} mt={4}>
          {value === undefined ? '—' : formatInteger(value)}
        </Text>
      )}
      {to && (
        <Anchor component={Link} to={to} fz="xs">
          Open {label.toLowerCase()}
        </Anchor>
      )}
    </Paper>
  );
}

export function CockpitPage() {
  const { user } = useCurrentSession();
  const seesPartners = findArea(user.roles, 'partners') !== null;
  const seesUsers = findArea(user.roles, 'users') !== null;
  const partners = usePartners({ limit: 1, offset: 0 }, { enabled: seesPartners });
  const users = useUsers({ limit: 1, offset: 0 }, { enabled: seesUsers });
  const notifications = useNotifications();
  const areas = navigationFor(user.roles)
    .filter((g) => g.label !== 'Administration')
    .flatMap((g) => g.areas)
    .filter((a) => a.id !== 'home');

  return (
    <>
      <PageHeader title="Cockpit" description={`Welcome, ${user.displayName}. The state of the realignment programme, as far as it is recorded in Realign.`} />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md" mb="lg">
        {seesPartners && <Stat label="Partners" value={partners.data?.total} to="/partners" loading={partners.isPending} />}
        {seesUsers && <Stat label="Users" value={users.data?.total} to="/admin/users" loading={users.isPending} />}
        <Stat label="Unread notifications" value={notifications.data?.unread} loading={notifications.isPending} />
      </SimpleGrid>
      <Title order={2} fz="md" mb="xs">
        Areas
      </Title>
      <AreaCards areas={areas} />
    </>
  );
}
