import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { usePartners } from '../../partners/api/list-partners.ts';

interface PartnerSelectProps {
  value: string | null;
  error?: string;
  required?: boolean;
  onChange: (id: string | null) => void;
}

/** A searchable picker over /api/partners. */
export function PartnerSelect({ value, error, required, onChange }: PartnerSelectProps) {
  const [search, setSearch] = useState('');
  const [selectedName, setSelectedName] = useState<string | null>(null);
  const typed = search.trim() === (selectedName ?? '') ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 250);
  const partners = usePartners({ q: q || undefined, limit: 20, offset: 0 });
  const options = (partners.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));
  if (value && selectedName && !options.some((o) => o.value === value)) options.unshift({ value, label: selectedName });

  return (
    <Select
      label="Partner"
      placeholder="Search partners"
      required={required}
      searchable
      clearable
      data={options}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already searched: show what it found without filtering again.
      filter={({ options: all }) => all}
      nothingFoundMessage={partners.isFetching ? 'Searching…' : 'No partner found'}
      error={error}
      onChange={(id, option) => {
        setSelectedName(option?.label ?? null);
        onChange(id);
      }}
    />
  );
}
