import { Button, Paper } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey } from '@tabler/icons-react';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useApiTokens } from '../../features/identity/api/list-api-tokens.ts';
import { ApiTokensTable } from '../../features/identity/components/api-tokens-table.tsx';
import { CreateApiTokenModal } from '../../features/identity/components/create-api-token-modal.tsx';

export function ApiTokensPage() {
  const tokens = useApiTokens();
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let integrations call the Realign API as you. A token is shown once, when it is created."
        crumbs={[{ label: 'Administration' }, { label: 'API tokens' }]}
        actions={
          <Button leftSection={<IconKey size={16} aria-hidden />} onClick={open}>
            New token
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md">
        {tokens.isPending ? (
          <TableSkeleton rows={3} />
        ) : tokens.isError ? (
          <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : (
          <ApiTokensTable items={tokens.data.items} />
        )}
      </Paper>
      <CreateApiTokenModal opened={opened} onClose={close} />
    </>
  );
}
