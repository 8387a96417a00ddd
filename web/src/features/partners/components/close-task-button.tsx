import { Button, Group, Modal, SegmentedControl, Stack, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import type { ReactivationTaskView } from '../../../../../common/api/partners-reengagement.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { useCloseReactivationTask } from '../api/close-reactivation-task.ts';

export function CloseTaskButton({ task }: { task: ReactivationTaskView }) {
  const [opened, { open, close }] = useDisclosure(false);
  const [status, setStatus] = useState<'done' | 'dismissed'>('done');
  const [outcome, setOutcome] = useState('');
  const mutation = useCloseReactivationTask();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate({ taskId: task.id, input: { status, outcome: outcome.trim() || null } }, { onSuccess: close });
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={open}>
        Close task
      </Button>
      <Modal opened={opened} onClose={close} title={`Close the task for ${task.partnerName}`}>
        <form onSubmit={submit}>
          <Stack>
            <SegmentedControl
              aria-label="Outcome"
              value={status}
              onChange={(v) => setStatus(v)}
              data={[
                { value: 'done', label: 'Done' },
                { value: 'dismissed', label: 'Dismissed' },
              ]}
            />
            <Textarea
              label="What came of it"
              description={status === 'done' ? 'Required when the task is done.' : 'Optional.'}
              value={outcome}
              onChange={(e) => setOutcome(e.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={3}
            />
            {mutation.isError && <FormError error={mutation.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={mutation.isPending}>
                Close task
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
