import { Skeleton, Stack } from '@mantine/core';

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <Stack gap={6} aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={28} radius="xs" />
      ))}
    </Stack>
  );
}
