import { Anchor, Badge, Card, Group, SimpleGrid, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { SnapshotView } from '../../../../../common/api/scorecard-results.ts';
import { periodLabel } from '../../../../../common/scorecards/scorecard.ts';
import { formatDateTime } from '../../../lib/format.ts';

const audienceText = (s: SnapshotView) =>
  s.audiences
    .map((a) =>
      a.kind === 'internal' ? 'everyone internal' : a.kind === 'team' ? `team ${a.team}` : a.kind === 'committee' ? 'oversight committee' : 'partners',
    )
    .join(', ') || 'no audience';

/** Published (and, for those who publish, draft) snapshots as cards, newest first. */
export function SnapshotGallery({ items, emptyText }: { items: readonly SnapshotView[]; emptyText: string }) {
  if (items.length === 0)
    return (
      <Text c="dimmed" fz="sm">
        {emptyText}
      </Text>
    );
  return (
    <SimpleGrid
      cols={{ base: 1, sm: 2, lg: 3 }}
      spacing="md"
      component="ul"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
      aria-label="Published scorecards"
    >
      {items.map((s) => (
        <Card key={s.id} withBorder radius="md" padding="md" component="li">
          <Group justify="space-between" mb={4} wrap="nowrap">
            <Anchor component={Link} to={`/scorecards/snapshots/${s.id}`} fw={600}>
              {s.name}, {periodLabel(s.periodStart, s.grain)}
            </Anchor>
            <Badge size="sm" variant="light" color={s.status === 'published' ? 'green' : 'gray'}>
              {s.status === 'published' ? 'Published' : 'Draft'}
            </Badge>
          </Group>
          <Text fz="xs" c="dimmed">
            By {s.level} · {s.subjectCount} subject{s.subjectCount === 1 ? '' : 's'} · {s.trigger === 'schedule' ? 'scheduled' : 'on demand'}
          </Text>
          <Text fz="xs" c="dimmed">
            {s.publishedAt ? `Published ${formatDateTime(s.publishedAt)}` : `Taken ${formatDateTime(s.takenAt)}`} · for {audienceText(s)}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
