import { Code, Text } from '@mantine/core';

/** Pretty-printed JSON for before/after snapshots; `null`/missing shows as a dash. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  if (value === null || value === undefined) {
    return (
      <Text fz="xs" c="dimmed" aria-label={`${label}: none`}>
        —
      </Text>
    );
  }
  return (
    <Code block fz="xs" aria-label={label} style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre-wrap' }}>
      {JSON.stringify(value, null, 2)}
    </Code>
  );
}
