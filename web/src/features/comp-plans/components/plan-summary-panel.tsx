import { List, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import type { PlanDocument } from '../../../../../common/comp/plan.ts';
import { planSummary } from '../plan-summary.ts';

/** The plan read back in plain sentences, as a seller would be told it. */
export function PlanSummaryPanel({ plan, headingOrder = 3 }: { plan: PlanDocument; headingOrder?: 3 | 4 }) {
  const sections = useMemo(() => {
    try {
      return planSummary(plan);
    } catch {
      return null;
    }
  }, [plan]);
  return (
    <Stack gap="xs" component="section" aria-label="Plain-language summary">
      <Title order={headingOrder} fz="md">
        In plain words
      </Title>
      {sections === null ? (
        <Text fz="sm" c="dimmed">
          The summary appears once the plan can be read.
        </Text>
      ) : (
        sections.map((s, i) => (
          <Stack key={i} gap={2}>
            <Text fw={600} fz="sm">
              {s.title}
            </Text>
            <List size="sm" spacing={2}>
              {s.sentences.map((t, j) => (
                <List.Item key={j}>{t}</List.Item>
              ))}
            </List>
          </Stack>
        ))
      )}
    </Stack>
  );
}
