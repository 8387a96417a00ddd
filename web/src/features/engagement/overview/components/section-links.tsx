import { Anchor, Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

/** What each engagement section is for, shown under its link. */
const purposes: Record<string, string> = {
  '/engagement/review-queue': 'Open partner registrations, the answer due first.',
  '/engagement/offers': 'Push opportunities to partners and follow their answers.',
  '/engagement/rules': 'The rules of the road: versions, changes and who acknowledged them.',
  '/engagement/scenarios': 'The kinds of opportunity partners bring.',
  '/engagement/conflicts': 'Two claims on one customer, side by side, to resolve.',
  '/engagement/conflicts/heatmap': 'Where direct and partner activity overlap.',
  '/engagement/friction': 'Response times, SLA breaches and win rates by scenario and unit.',
};

export interface SectionLink {
  label: string;
  path: string;
}

export function SectionLinks({ sections }: { sections: SectionLink[] }) {
  return (
    <nav aria-label="Engagement sections">
      <Title order={2} fz="md" mb="sm">
        Sections
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
        {sections.map((s) => (
          <Paper key={s.path} withBorder radius="md" p="sm">
            <Anchor component={Link} to={s.path} fw={600}>
              {s.label}
            </Anchor>
            {purposes[s.path] && (
              <Text fz="xs" c="dimmed">
                {purposes[s.path]}
              </Text>
            )}
          </Paper>
        ))}
      </SimpleGrid>
    </nav>
  );
}
