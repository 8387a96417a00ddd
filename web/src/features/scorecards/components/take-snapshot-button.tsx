import { Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { IconCamera } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { isComputation } from '../../../../../common/api/scorecard-results.ts';
import type { SubjectKind } from '../../../../../common/scorecards/metric.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { QueryError } from '../../../components/ui/query-error.tsx';
import { useComputation } from '../api/get-computation.ts';
import { scorecardKeys } from '../api/paths.ts';
import { useTakeSnapshot } from '../api/scorecard-mutations.ts';
import { ComputationProgress } from './computation-progress.tsx';

/**
 * Takes a snapshot of the scorecard for a period and level. The worker takes it (the page never waits
 * on a long request): the dialog shows its progress, then opens the snapshot.
 */
export function TakeSnapshotButton({ scorecard, period, level }: { scorecard: string; period: string; level: SubjectKind }) {
  const take = useTakeSnapshot();
  const [publish, setPublish] = useState(false);
  const answer = take.data;
  const [computationId, setComputationId] = useState<string | null>(null);
  return (
    <ModalButton
      label="Take snapshot"
      title="Take a snapshot"
      icon={<IconCamera size={16} aria-hidden />}
      variant="default"
      onDismiss={() => {
        take.reset();
        setComputationId(null);
      }}
    >
      {() => (
        <Stack gap="sm">
          <Text fz="sm">
            Freezes this scorecard for the period containing {period}, by {level}. A draft can be checked and discarded; once published it can never change, and
            its audience is notified.
          </Text>
          <Checkbox label="Publish at once" checked={publish} disabled={computationId !== null} onChange={(e) => setPublish(e.currentTarget.checked)} />
          <FormError error={take.error} />
          {computationId ? <SnapshotProgress id={computationId} /> : answer && !isComputation(answer) ? <OpenSnapshot id={answer.id} /> : null}
          <Group justify="flex-end">
            <Button
              loading={take.isPending}
              disabled={computationId !== null}
              onClick={() =>
                take.mutate({ scorecard, period, level, publish }, { onSuccess: (r) => setComputationId(isComputation(r) ? r.computationId : null) })
              }
            >
              {publish ? 'Take and publish' : 'Take draft'}
            </Button>
          </Group>
        </Stack>
      )}
    </ModalButton>
  );
}

function OpenSnapshot({ id }: { id: string }) {
  const navigate = useNavigate();
  useEffect(() => void navigate(`/scorecards/snapshots/${id}`), [id, navigate]);
  return null;
}

/** The snapshot being taken in the background; opened once it is there. */
function SnapshotProgress({ id }: { id: string }) {
  const computation = useComputation(id);
  const queryClient = useQueryClient();
  const c = computation.data;
  const snapshotId = c?.status === 'completed' ? c.snapshotId : null;
  useEffect(() => {
    if (snapshotId) void queryClient.invalidateQueries({ queryKey: scorecardKeys.all });
  }, [snapshotId, queryClient]);
  if (computation.isError) return <QueryError error={computation.error} onRetry={() => void computation.refetch()} />;
  if (!c) return null;
  return (
    <>
      <ComputationProgress computation={c} label="Taking the snapshot" />
      {snapshotId && <OpenSnapshot id={snapshotId} />}
    </>
  );
}
