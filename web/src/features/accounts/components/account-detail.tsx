import { Badge, Grid, Skeleton, Stack } from '@mantine/core';
import type { Crumb } from '../../../components/ui/page-header.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { useAccount } from '../api/get-account.ts';
import { segmentLabels } from './account-labels.tsx';
import { AccountProfile, CurrentOwnerCard } from './account-profile.tsx';
import { ChangeOwnershipButton } from './change-ownership-button.tsx';
import { EditAccountButton } from './edit-account-button.tsx';
import { OwnershipHistory } from './ownership-history.tsx';

interface AccountDetailProps {
  accountId: string;
  canManage: boolean;
  crumbs?: Crumb[];
}

export function AccountDetailView({ accountId, canManage, crumbs }: AccountDetailProps) {
  const account = useAccount(accountId);
  if (account.isPending) {
    return (
      <Stack>
        <Skeleton h={40} w={320} />
        <Skeleton h={220} />
      </Stack>
    );
  }
  if (account.isError) {
    return (
      <>
        <PageHeader title="Account" crumbs={crumbs} />
        <QueryError error={account.error} title="Could not load this account" onRetry={() => void account.refetch()} />
      </>
    );
  }
  const a = account.data;
  return (
    <>
      <PageHeader
        title={a.name}
        crumbs={crumbs?.map((c) => (c.to ? c : { label: a.name }))}
        description={a.domain ?? undefined}
        badge={
          a.segment ? (
            <Badge variant="light" size="md">
              {segmentLabels[a.segment]}
            </Badge>
          ) : undefined
        }
        actions={
          canManage ? (
            <>
              <ChangeOwnershipButton account={a} />
              <EditAccountButton account={a} />
            </>
          ) : undefined
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <AccountProfile account={a} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <CurrentOwnerCard account={a} />
            <OwnershipHistory history={a.ownershipHistory} currentId={a.currentOwnership?.id ?? null} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
