import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useAccounts } from '../api/list-accounts.ts';

interface ParentAccountSelectProps {
  value: string | null;
  /** Name of the current parent, so it shows before any search has run. */
  initialName: string | null;
  /** The account being edited: it cannot be its own parent. */
  excludeId?: string;
  error?: string;
  onChange: (id: string | null) => void;
}

/** A searchable picker over /api/accounts for the parent account. */
export function ParentAccountSelect({ value, initialName, excludeId, error, onChange }: ParentAccountSelectProps) {
  const [search, setSearch] = useState('');
  const [selectedName, setSelectedName] = useState<string | null>(value ? initialName : null);
  const typed = search.trim() === (selectedName ?? '') ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 250);
  const accounts = useAccounts({ q: q || undefined, limit: 20, offset: 0 });
  const options = (accounts.data?.items ?? []).filter((a) => a.id !== excludeId).map((a) => ({ value: a.id, label: a.name }));
  if (value && selectedName && !options.some((o) => o.value === value)) options.unshift({ value, label: selectedName });

  return (
    <Select
      label="Parent account"
      description="The group or holding company this account belongs to"
      placeholder="Search accounts"
      searchable
      clearable
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already searched: show what it found without filtering again.
      filter={({ options: all }) => all}
      nothingFoundMessage={accounts.isFetching ? 'Searching…' : 'No account found'}
      error={error}
      onChange={(id, option) => {
        setSelectedName(option?.label ?? null);
        onChange(id);
      }}
    />
  );
}
