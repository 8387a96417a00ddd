import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { ParticipantView } from '../../../../../common/api/comp-plans.ts';
import { useParticipants } from '../api/participants.ts';

export const participantLabel = (p: Pick<ParticipantView, 'displayName' | 'externalRef'>) => `${p.displayName} · ${p.externalRef}`;

interface Props {
  label: string;
  description?: string;
  /** The chosen participant's id, or null. */
  value: string | null;
  /** How to show the chosen participant before any search (e.g. the current manager). */
  valueLabel: string | null;
  onChange: (id: string | null) => void;
  /** A participant that may not be chosen (a participant is not their own manager). */
  excludeId?: string;
  error?: string | undefined;
}

/** Chooses a participant by searching name, reference or e-mail on the server (there may be 50 000 of them). */
export function ParticipantPicker({ label, description, value, valueLabel, onChange, excludeId, error }: Props) {
  const [chosenLabel, setChosenLabel] = useState<string | null>(valueLabel);
  const [search, setSearch] = useState(valueLabel ?? '');
  // Showing the chosen label in the box is not a search.
  const typed = search.trim() === (chosenLabel ?? '') ? '' : search.trim();
  const [q] = useDebouncedValue(typed, 200);
  const found = useParticipants({ q: q || undefined, limit: 20, offset: 0 });
  const options = (found.data?.items ?? []).filter((p) => p.id !== excludeId && p.id !== value).map((p) => ({ value: p.id, label: participantLabel(p) }));
  const data = value && chosenLabel ? [{ value, label: chosenLabel }, ...options] : options;
  return (
    <Select
      label={label}
      description={description}
      placeholder="Search by name, reference or e-mail"
      searchable
      clearable
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id, option) => {
        setChosenLabel(option ? option.label : null);
        onChange(id);
      }}
      filter={({ options: all }) => all}
      nothingFoundMessage={found.isFetching ? 'Searching…' : 'No participant matches'}
      error={error}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
