import { Alert, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { RecipientView } from '../../../../../common/api/comp-rollout.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useResolveDispute } from '../api/recipient-actions.ts';

function ResolveForm({ recipient, done }: { recipient: RecipientView; done: () => void }) {
  const resolve = useResolveDispute();
  const [comment, setComment] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        resolve.mutate(
          { id: recipient.id, comment },
          {
            onSuccess: () => {
              notifications.show({ color: 'green', message: `Answer sent; the plan went to ${recipient.participantName} again.` });
              done();
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Text fz="sm">
          {recipient.participantName} wrote: “{recipient.disputeComment}”
        </Text>
        <Textarea
          label="Your answer"
          description="Shown to the participant; the plan is sent to them again."
          required
          minRows={3}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        <FormError error={resolve.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={resolve.isPending} disabled={comment.trim() === ''}>
            Answer and re-send
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Open disputes with their comments; comp admins answer them (the plan goes to the participant again). */
export function DisputesList({ disputes, mayResolve }: { disputes: RecipientView[]; mayResolve: boolean }) {
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="rollout-disputes">
      <Title order={2} fz="md" id="rollout-disputes" mb="xs">
        Disputes
      </Title>
      {disputes.length === 0 ? (
        <Text fz="sm" c="dimmed">
          No open disputes.
        </Text>
      ) : (
        <Stack gap="sm">
          {disputes.map((d) => (
            <Alert key={d.id} color="orange" variant="light" title={`${d.participantName}${d.team ? ` · ${d.team}` : ''}`}>
              <Text fz="sm">“{d.disputeComment}”</Text>
              <Group justify="space-between" mt={6}>
                <Text fz="xs" c="dimmed">
                  Disputed {formatDateTime(d.disputedAt)}
                  {d.disputes > 1 ? ` (dispute ${d.disputes})` : ''}
                  {d.resolutionComment ? ` · last answer: “${d.resolutionComment}”` : ''}
                </Text>
                {mayResolve && (
                  <ModalButton label="Answer…" title={`Answer ${d.participantName}`} variant="default" size="md">
                    {(done) => <ResolveForm recipient={d} done={done} />}
                  </ModalButton>
                )}
              </Group>
            </Alert>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
