import { Button, Group, Paper, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { usePartners } from '../../features/partners/api/list-partners.ts';
import { CreatePartnerButton } from '../../features/partners/components/create-partner-button.tsx';
import { PartnersTable } from '../../features/partners/components/partners-table.tsx';
import { noPartnerFilters, PartnerFilters } from '../../features/partners/components/partner-filters.tsx';
import { canManagePartners } from '../../features/partners/partner-permissions.ts';
import { useState } from 'react';

const pageSize = 50;

export function PartnersPage() {
  const { user } = useCurrentSession();
  // Search and page live in the URL so a filtered list can be shared and survives reloads.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const effectiveOffset = q === (params.get('q') ?? '') ? offset : 0;
  const [filterDraft, setFilterDraft] = useState(noPartnerFilters);
  const [filters] = useDebouncedValue(filterDraft, 250);
  const partners = usePartners({
    q: q || undefined,
    tier: filters.tier.trim() || undefined,
    status: filters.status || undefined,
    region: filters.region.trim() || undefined,
    specialisation: filters.specialisation.trim() || undefined,
    limit: pageSize,
    offset: effectiveOffset,
  });

  const update = (next: { q?: string; offset?: number }) => {
    // Read the location itself: several changes can land before the next render refreshes `params`.
    const p = new URLSearchParams(window.location.search);
    const no = next.offset ?? 0;
    if (next.q !== undefined) {
      if (next.q) p.set('q', next.q);
      else p.delete('q');
    }
    if (no) p.set('offset', String(no));
    else p.delete('offset');
    setParams(p, { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Partners"
        description="Partner organisations, their tiers, contacts and users."
        actions={
          user.partnerId === null ? (
            <>
              <Button component={Link} to="/partners/reengagement" variant="default">
                Re-engagement
              </Button>
              {canManagePartners(user) && <CreatePartnerButton />}
            </>
          ) : undefined
        }
      />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm">
          <TextInput
            label="Search partners"
            placeholder="Name or legal name"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              update({ q: e.currentTarget.value.trim(), offset: 0 });
            }}
            w={320}
            type="search"
          />
          <PartnerFilters
            value={filterDraft}
            onChange={(v) => {
              setFilterDraft(v);
              update({ offset: 0 });
            }}
          />
        </Group>
        {partners.isPending ? (
          <TableSkeleton />
        ) : partners.isError ? (
          <QueryError error={partners.error} onRetry={() => void partners.refetch()} />
        ) : (
          <>
            <PartnersTable items={partners.data.items} emptyText={q ? `No partner matches “${q}”.` : 'No partners yet.'} />
            <Pager total={partners.data.total} limit={pageSize} offset={effectiveOffset} onOffsetChange={(o) => update({ offset: o })} noun="partners" />
          </>
        )}
      </Paper>
    </>
  );
}
