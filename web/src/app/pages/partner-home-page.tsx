import { Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { StatusBadge } from '../../components/ui/status-badge.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { usePartner } from '../../features/partners/api/get-partner.ts';
import { AreaCards } from '../area-cards.tsx';
import { navigationFor } from '../areas.ts';

function OrganisationSummary({ partnerId }: { partnerId: string }) {
  const partner = usePartner(partnerId);
  if (partner.isPending) return <Skeleton h={72} />;
  if (partner.isError) return <QueryError error={partner.error} onRetry={() => void partner.refetch()} />;
  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between">
        <Stack gap={2}>
          <Text fz="xs" c="dimmed" tt="uppercase" fw={700}>
            Your organisation
          </Text>
          <Text fw={700} fz="lg">
            {partner.data.name}
          </Text>
        </Stack>
        <Group gap="xs">
          <Badge variant="light" size="lg">
            Tier: {partner.data.tier}
          </Badge>
          <StatusBadge status={partner.data.status} />
        </Group>
      </Group>
      <Anchor component={Link} to="/my-organisation" fz="sm" mt="xs" display="inline-block">
        View profile, contacts and users
      </Anchor>
    </Paper>
  );
}

export function PartnerHomePage() {
  const { user } = useCurrentSession();
  const areas = navigationFor(user.roles)
    .flatMap((g) => g.areas)
    .filter((a) => a.id !== 'home');
  return (
    <>
      <PageHeader title="Home" description={`Welcome, ${user.displayName}.`} />
      <Stack gap="lg">
        {user.partnerId ? (
          <OrganisationSummary partnerId={user.partnerId} />
        ) : (
          <Text c="dimmed" fz="sm">
            Your account is not linked to a partner organisation yet. Ask your channel manager to link it.
          </Text>
        )}
        <div>
          <Title order={2} fz="md" mb="xs">
            In this portal
          </Title>
          <AreaCards areas={areas} />
        </div>
      </Stack>
    </>
  );
}
