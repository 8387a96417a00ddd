import { List, Stack, Title } from '@mantine/core';
import type { PlainSection } from '../../../../../../common/api/engagement-rules.ts';

/** The rules in plain language: one titled section per topic. */
export function PlainRules({ sections, headingOrder = 2 }: { sections: PlainSection[]; headingOrder?: 2 | 3 }) {
  return (
    <Stack gap="md">
      {sections.map((s) => (
        <section key={s.title} aria-label={s.title}>
          <Title order={headingOrder} fz="md" mb={6}>
            {s.title}
          </Title>
          <List spacing={4} fz="sm">
            {s.items.map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
        </section>
      ))}
    </Stack>
  );
}
