import { Badge, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { AreaIcon } from './area-icon.tsx';
import type { Area } from './areas.ts';

/** The grid of area cards on the cockpit and the partner home: where each area lives and what it holds. */
export function AreaCards({ areas }: { areas: readonly Area[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
      {areas.map((area) => (
        <Paper
          key={area.id}
          withBorder
          p="sm"
          radius="md"
          component={Link}
          to={area.path}
          style={{ textDecoration: 'none', color: 'inherit' }}
          aria-label={`${area.label}: ${area.holds}`}
        >
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <AreaIcon name={area.icon} size={22} />
            <Stack gap={2} miw={0}>
              <Group gap={6}>
                <Text fw={600} fz="sm">
                  {area.label}
                </Text>
                {!area.built && (
                  <Badge size="xs" variant="outline" color="gray.7">
                    Not available yet
                  </Badge>
                )}
              </Group>
              <Text fz="xs" c="dimmed" lineClamp={2}>
                {area.holds}
              </Text>
            </Stack>
          </Group>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
