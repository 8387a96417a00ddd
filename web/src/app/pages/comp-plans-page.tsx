import { Paper, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { usePlans } from '../../features/comp-plans/api/list-plans.ts';
import { canManageComp } from '../../features/comp-plans/comp-plans-permissions.ts';
import { CreatePlanButton } from '../../features/comp-plans/components/create-plan-button.tsx';
import { ImportPlanButton } from '../../features/comp-plans/components/import-plan-button.tsx';
import { PlansTable } from '../../features/comp-plans/components/plans-table.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const pageSize = 50;

/** Compensation plans: the version in force, the version being worked on, effective dates; new plans from a template or a file. */
export function CompPlansPage() {
  const { user } = useCurrentSession();
  // Search and page live in the URL so a filtered list can be shared and survives reloads.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const effectiveOffset = q === (params.get('q') ?? '') ? offset : 0;
  const plans = usePlans({ q: q || undefined, limit: pageSize, offset: effectiveOffset });
  const manage = canManageComp(user);

  const update = (next: { q?: string; offset?: number }) => {
    const p = new URLSearchParams(window.location.search);
    if (next.q !== undefined) {
      if (next.q) p.set('q', next.q);
      else p.delete('q');
    }
    if (next.offset) p.set('offset', String(next.offset));
    else p.delete('offset');
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Comp plans"
        description="Compensation plans and their versions: design, approval, publication."
        actions={
          manage ? (
            <>
              <ImportPlanButton />
              <CreatePlanButton />
            </>
          ) : undefined
        }
      />
      <Paper withBorder radius="md" p="md">
        <TextInput
          label="Search plans"
          placeholder="Name or key"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            update({ q: e.currentTarget.value.trim(), offset: 0 });
          }}
          w={320}
          type="search"
          mb="sm"
        />
        {plans.isPending ? (
          <TableSkeleton />
        ) : plans.isError ? (
          <QueryError error={plans.error} onRetry={() => void plans.refetch()} />
        ) : (
          <>
            <PlansTable
              items={plans.data.items}
              emptyText={q ? 'No plan matches this search.' : manage ? 'No plans yet. Start one from a template or import a plan file.' : 'No plans yet.'}
            />
            <Pager total={plans.data.total} limit={pageSize} offset={effectiveOffset} onOffsetChange={(o) => update({ offset: o })} noun="plans" />
          </>
        )}
      </Paper>
    </>
  );
}
