import { Table, Text } from '@mantine/core';
import type { HeatmapCell } from '../../../../../../common/api/engagement-conflicts.ts';
import { EmptyRows } from '../../../../components/ui/empty-rows.tsx';

/** Light shades only, so the dark count text keeps its contrast on every cell. */
const shades = [
  'var(--mantine-color-orange-0)',
  'var(--mantine-color-orange-1)',
  'var(--mantine-color-orange-2)',
  'var(--mantine-color-orange-3)',
  'var(--mantine-color-orange-4)',
];

function shadeOf(value: number, max: number): string | undefined {
  if (value === 0 || max === 0) return undefined;
  const i = Math.min(shades.length - 1, Math.ceil((value / max) * shades.length) - 1);
  return shades[i];
}

/**
 * Scenario rows x country (or segment) columns. Each cell shows its numbers as text; the colour
 * only repeats them.
 */
export function HeatmapGrid({ cells, columnHeading, label }: { cells: HeatmapCell[]; columnHeading: string; label: string }) {
  const columns = [...new Set(cells.map((c) => c.column))].sort();
  const scenarios = [...new Map(cells.map((c) => [c.scenarioKey, c.scenarioName])).entries()];
  const byKey = new Map(cells.map((c) => [`${c.scenarioKey}|${c.column}`, c]));
  const max = Math.max(0, ...cells.map((c) => c.registrations));
  return (
    <Table.ScrollContainer minWidth={Math.max(400, 160 + columns.length * 90)}>
      <Table aria-label={label} withColumnBorders withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Scenario</Table.Th>
            {columns.map((c) => (
              <Table.Th key={c} ta="center">
                {c}
              </Table.Th>
            ))}
          </Table.Tr>
          <Table.Tr>
            <Table.Td colSpan={columns.length + 1}>
              <Text fz="xs" c="dimmed">
                {columnHeading}: registrations on overlapping customers (customers in brackets); darker means more.
              </Text>
            </Table.Td>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scenarios.length === 0 && <EmptyRows colSpan={columns.length + 1}>No overlap in this period.</EmptyRows>}
          {scenarios.map(([key, name]) => (
            <Table.Tr key={key}>
              <Table.Th scope="row" fw={500}>
                {name}
              </Table.Th>
              {columns.map((col) => {
                const cell = byKey.get(`${key}|${col}`);
                const n = cell?.registrations ?? 0;
                return (
                  <Table.Td key={col} ta="center" bg={shadeOf(n, max)} c="dark.9">
                    {n === 0 ? (
                      <Text fz="sm" c="dark.9">
                        0
                      </Text>
                    ) : (
                      <Text fz="sm" fw={600} c="dark.9" aria-label={`${name}, ${col}: ${n} registrations on ${cell?.customers ?? 0} customers`}>
                        {n} ({cell?.customers ?? 0})
                      </Text>
                    )}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
