import { Group, Pagination, Text } from '@mantine/core';
import { formatInteger } from '../../lib/format.ts';

interface PagerProps {
  total: number;
  limit: number;
  offset: number;
  onOffsetChange: (offset: number) => void;
  noun: string;
}

/** "1–50 of 312 partners" plus page buttons, for offset-paged lists. */
export function Pager({ total, limit, offset, onOffsetChange, noun }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return (
    <Group justify="space-between" mt="sm" gap="sm">
      <Text fz="sm" c="dimmed" aria-live="polite">
        {total === 0 ? `No ${noun}` : `${formatInteger(from)}–${formatInteger(to)} of ${formatInteger(total)} ${noun}`}
      </Text>
      {pages > 1 && (
        <Pagination
          size="sm"
          total={pages}
          value={page}
          onChange={(p) => onOffsetChange((p - 1) * limit)}
          getControlProps={(control) => ({ 'aria-label': `${control} page` })}
          getItemProps={(p) => ({ 'aria-label': `Page ${p}` })}
        />
      )}
    </Group>
  );
}
