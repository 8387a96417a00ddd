import { List, Select, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { QueryError } from './query-error.tsx';

type Diff<C> = { from: { version: number } | null; to: { version: number }; changes: C[] };

interface Props<C> {
  /** The other versions to compare with (the version shown is left out by the caller). */
  others: { value: string; label: string }[];
  from: string | null;
  onFromChange: (id: string | null) => void;
  diff: UseQueryResult<Diff<C>>;
  changeKey: (change: C) => string;
  renderChange: (change: C) => ReactNode;
  selectWidth?: number;
}

/** What changed in a version, from the one before it or from any other version picked. */
export function VersionChanges<C>({ others, from, onFromChange, diff, changeKey, renderChange, selectWidth = 320 }: Props<C>) {
  return (
    <Stack gap="sm">
      {others.length > 0 && (
        <Select
          label="Compare with"
          placeholder="The version before"
          data={others}
          value={from}
          onChange={onFromChange}
          clearable
          maw={selectWidth}
          comboboxProps={{ withinPortal: true }}
        />
      )}
      {diff.isPending ? (
        <Skeleton h={60} />
      ) : diff.isError ? (
        <QueryError error={diff.error} onRetry={() => void diff.refetch()} />
      ) : diff.data.from === null ? (
        <Text fz="sm" c="dimmed">
          This is the first version: there is nothing earlier to compare with.
        </Text>
      ) : diff.data.changes.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No differences from version {diff.data.from.version}.
        </Text>
      ) : (
        <>
          <Text fz="sm">
            Changes from version {diff.data.from.version} to version {diff.data.to.version}:
          </Text>
          <List spacing={4} fz="sm" aria-label="Changes">
            {diff.data.changes.map((c) => (
              <List.Item key={changeKey(c)}>{renderChange(c)}</List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  );
}
