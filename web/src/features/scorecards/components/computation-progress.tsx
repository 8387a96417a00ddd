import { Alert, Progress, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ScorecardComputationView } from '../../../../../common/api/scorecard-results.ts';
import { formatInteger } from '../../../lib/format.ts';
import { isRunning } from '../api/get-computation.ts';

const stageText: Record<NonNullable<ScorecardComputationView['stage']>, string> = {
  computing: 'Computing every metric, score and rank',
  freezing: 'Freezing the snapshot',
  publishing: 'Publishing',
};

/** Seconds since `since`, ticking once a second while `on`. */
function useElapsedMs(since: string | null, on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [on]);
  return since ? Math.max(0, now - Date.parse(since)) : 0;
}

/**
 * A scorecard being computed in the background: what it is doing, for how long, and how far along it
 * probably is (the time the last computation of this scorecard took; unknown the first time).
 */
export function ComputationProgress({ computation, label }: { computation: ScorecardComputationView; label: string }) {
  const running = isRunning(computation);
  const elapsed = useElapsedMs(computation.startedAt, computation.status === 'running');
  if (computation.status === 'failed')
    return (
      <Alert color="red" variant="light" title={`${label} failed`}>
        {computation.error ?? 'The computation failed.'}
      </Alert>
    );
  const expected = computation.expectedMs;
  const percent =
    computation.status === 'completed' ? 100 : expected && computation.status === 'running' ? Math.min(95, Math.round((elapsed / expected) * 100)) : null;
  const what =
    computation.status === 'queued'
      ? 'Waiting for the background worker'
      : computation.status === 'completed'
        ? 'Done'
        : stageText[computation.stage ?? 'computing'];
  return (
    <Stack gap={6} role="status" aria-live="polite" aria-label={label}>
      <Text fz="sm" fw={500}>
        {label}: {what}
        {running && '…'}
      </Text>
      <Progress size="md" value={percent ?? 100} striped={percent === null} animated={running} aria-label={`Progress of ${label.toLowerCase()}`} />
      <Text fz="xs" c="dimmed">
        About {formatInteger(computation.subjectCount ?? computation.estimatedSubjects)} subjects
        {computation.status === 'running' && ` · running ${Math.round(elapsed / 1000)} s`}
        {expected !== null && running && ` · the last computation took ${Math.max(1, Math.round(expected / 1000))} s`}. Large scorecards are computed in the
        background; this page shows the figures as soon as they are ready.
      </Text>
    </Stack>
  );
}
