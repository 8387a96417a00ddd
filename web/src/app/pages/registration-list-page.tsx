import { Button, Group, Paper, Select } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { registrationStatuses } from '../../../../common/api/engagement-registrations.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useRegistrations } from '../../features/engagement/registrations/api/list-registrations.ts';
import { registrationStatusLabels } from '../../features/engagement/registrations/components/registration-status-badge.tsx';
import { RegistrationsTable } from '../../features/engagement/registrations/components/registrations-table.tsx';

const pageSize = 50;

/** The partner's "My registrations": every registration of the organisation, where it stands and its SLA clock. */
export function RegistrationListPage() {
  const [status, setStatus] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const list = useRegistrations({ status: status ?? undefined, limit: pageSize, offset });
  return (
    <>
      <PageHeader
        title="My registrations"
        description="Deals your organisation registered: where each stands, when the answer is due and how long it is protected."
        actions={
          <>
            <Button component={Link} to="/registrations/inbox" variant="default">
              Deal inbox
            </Button>
            <Button component={Link} to="/registrations/bulk" variant="default">
              Upload CSV
            </Button>
            <Button component={Link} to="/registrations/new">
              Register a deal
            </Button>
          </>
        }
      />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm">
          <Select
            label="Status"
            placeholder="Any status"
            clearable
            data={registrationStatuses.map((s) => ({ value: s, label: registrationStatusLabels[s] }))}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setOffset(0);
            }}
          />
        </Group>
        {list.isPending ? (
          <TableSkeleton />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <>
            <RegistrationsTable
              label="My registrations"
              items={list.data.items}
              emptyText="No registrations yet: register a deal of any scenario."
              detailPath={(id) => `/registrations/${id}`}
            />
            <Pager total={list.data.total} limit={pageSize} offset={offset} onOffsetChange={setOffset} noun="registrations" />
          </>
        )}
      </Paper>
    </>
  );
}
