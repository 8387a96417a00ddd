import { Grid, Paper, Stack } from '@mantine/core';
import type { PlanDocument } from '../../../../../common/comp/plan.ts';
import type { PlanIssue } from '../plan-issues.ts';
import { ExamplePanel } from './example-panel.tsx';
import { PlanEditor } from './plan-editor.tsx';
import { PlanSummaryPanel } from './plan-summary-panel.tsx';

/** The editor beside the plain-language summary and the "what would I earn" examples. */
export function PlanWorkbench({
  value,
  onChange,
  readOnly,
  serverIssues,
}: {
  value: PlanDocument;
  onChange: (plan: PlanDocument) => void;
  readOnly?: boolean;
  serverIssues?: readonly PlanIssue[];
}) {
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <PlanEditor value={value} onChange={onChange} readOnly={readOnly} serverIssues={serverIssues} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Stack gap="md">
          <Paper withBorder radius="md" p="md">
            <PlanSummaryPanel plan={value} />
          </Paper>
          <Paper withBorder radius="md" p="md">
            <ExamplePanel plan={value} />
          </Paper>
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
