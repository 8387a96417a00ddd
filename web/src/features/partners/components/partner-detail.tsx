import { Badge, Grid, Skeleton, Stack } from '@mantine/core';
import type { Crumb } from '../../../components/ui/page-header.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { usePartner } from '../api/get-partner.ts';
import { EditPartnerButton } from './edit-partner-button.tsx';
import { PartnerContacts } from './partner-contacts.tsx';
import { PartnerProfile } from './partner-profile.tsx';
import { PartnerUsers } from './partner-users.tsx';

interface PartnerDetailProps {
  partnerId: string;
  canManage: boolean;
  crumbs?: Crumb[];
  /** Heading override, e.g. "My organisation" in the partner portal. */
  heading?: (name: string) => string;
}

export function PartnerDetail({ partnerId, canManage, crumbs, heading }: PartnerDetailProps) {
  const partner = usePartner(partnerId);
  if (partner.isPending) {
    return (
      <Stack>
        <Skeleton h={40} w={320} />
        <Skeleton h={220} />
      </Stack>
    );
  }
  if (partner.isError) {
    return (
      <>
        <PageHeader title="Partner" crumbs={crumbs} />
        <QueryError error={partner.error} title="Could not load this partner" onRetry={() => void partner.refetch()} />
      </>
    );
  }
  const p = partner.data;
  const title = heading ? heading(p.name) : p.name;
  return (
    <>
      <PageHeader
        title={title}
        crumbs={crumbs?.map((c) => (c.to ? c : { label: p.name }))}
        description={heading ? p.name : p.legalName && p.legalName !== p.name ? p.legalName : undefined}
        badge={
          <>
            <Badge variant="light" size="md">
              {p.tier}
            </Badge>
            <StatusBadge status={p.status} />
          </>
        }
        actions={canManage ? <EditPartnerButton partner={p} /> : undefined}
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <PartnerProfile partner={p} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <PartnerContacts partnerId={p.id} canManage={canManage} />
            <PartnerUsers partnerId={p.id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
