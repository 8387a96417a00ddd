import { Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The single row a table shows when it has nothing to list. */
export function EmptyRows({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={colSpan}>
        <Text c="dimmed" fz="sm" ta="center" py="md">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}
