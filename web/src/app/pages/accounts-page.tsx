import { Group, Paper, Select, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { Pager } from '../../components/ui/pager.tsx';
import { QueryError } from '../../components/ui/query-error.tsx';
import { TableSkeleton } from '../../components/ui/table-skeleton.tsx';
import { canManageAccounts } from '../../features/accounts/account-permissions.ts';
import { useAccounts } from '../../features/accounts/api/list-accounts.ts';
import { isSegment, segmentOptions } from '../../features/accounts/components/account-labels.tsx';
import { AccountsTable } from '../../features/accounts/components/accounts-table.tsx';
import { CreateAccountButton } from '../../features/accounts/components/create-account-button.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';

const pageSize = 50;
const countryPattern = /^[A-Z]{2}$/;

export function AccountsPage() {
  const { user } = useCurrentSession();
  // Search, filters and page live in the URL so a filtered list can be shared and survives reloads.
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [countryText, setCountryText] = useState(params.get('country') ?? '');
  const segmentParam = params.get('segment');
  const segment = isSegment(segmentParam) ? segmentParam : undefined;
  const countryParam = params.get('country') ?? '';
  const country = countryPattern.test(countryParam) ? countryParam : undefined;
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const effectiveOffset = q === (params.get('q') ?? '') ? offset : 0;
  const accounts = useAccounts({ q: q || undefined, segment, country, limit: pageSize, offset: effectiveOffset });

  const update = (next: { q?: string; segment?: string | null; country?: string; offset?: number }) => {
    // Read the location itself: several changes can land before the next render refreshes `params`.
    const p = new URLSearchParams(window.location.search);
    const set = (key: string, value: string | null | undefined) => {
      if (value) p.set(key, value);
      else p.delete(key);
    };
    if (next.q !== undefined) set('q', next.q);
    if (next.segment !== undefined) set('segment', next.segment);
    if (next.country !== undefined) set('country', next.country);
    const no = next.offset ?? 0;
    set('offset', no ? String(no) : null);
    setParams(p, { replace: true });
  };

  const countryInvalid = countryText !== '' && !countryPattern.test(countryText);
  const filtered = Boolean(q || segment || country);

  return (
    <>
      <PageHeader
        title="Accounts"
        description="End customers and who owns them: direct, a partner, or shared."
        actions={canManageAccounts(user) ? <CreateAccountButton /> : undefined}
      />
      <Paper withBorder radius="md" p="md">
        <Group mb="sm" align="flex-start">
          <TextInput
            label="Search accounts"
            placeholder="Name or domain"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              update({ q: e.currentTarget.value.trim(), offset: 0 });
            }}
            w={320}
            type="search"
          />
          <Select
            label="Segment"
            placeholder="All segments"
            clearable
            data={segmentOptions}
            value={segment ?? null}
            onChange={(v) => update({ segment: v, offset: 0 })}
            w={200}
          />
          <TextInput
            label="Country"
            placeholder="All countries"
            description="ISO code, e.g. DE"
            maxLength={2}
            value={countryText}
            onChange={(e) => {
              const v = e.currentTarget.value.toUpperCase();
              setCountryText(v);
              if (v === '' || countryPattern.test(v)) update({ country: v, offset: 0 });
            }}
            error={countryInvalid ? 'Two letters, e.g. DE' : undefined}
            w={160}
          />
        </Group>
        {accounts.isPending ? (
          <TableSkeleton />
        ) : accounts.isError ? (
          <QueryError error={accounts.error} onRetry={() => void accounts.refetch()} />
        ) : (
          <>
            <AccountsTable items={accounts.data.items} emptyText={filtered ? 'No account matches these filters.' : 'No accounts yet.'} />
            <Pager total={accounts.data.total} limit={pageSize} offset={effectiveOffset} onOffsetChange={(o) => update({ offset: o })} noun="accounts" />
          </>
        )}
      </Paper>
    </>
  );
}
