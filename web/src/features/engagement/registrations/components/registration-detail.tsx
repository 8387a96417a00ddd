import { Button, Grid, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { RegistrationAction, RegistrationDetail as Detail } from '../../../../../../common/api/engagement-registrations.ts';
import { formatMoney } from '../../../../../../common/money.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { formatCountry, formatDate, formatDateTime } from '../../../../lib/format.ts';
import { useDecideExtension } from '../api/decide-extension.ts';
import { useRequestExtension } from '../api/request-extension.ts';
import { useSubmitRegistration } from '../api/submit-registration.ts';
import { useTransitionRegistration } from '../api/transition-registration.ts';
import { RegistrationHistory } from './registration-history.tsx';
import { RegistrationStatusBadge } from './registration-status-badge.tsx';
import { SlaClock } from './sla-clock.tsx';

const actionLabels: Record<RegistrationAction, string> = {
  start_review: 'Start review',
  request_info: 'Ask for more information',
  provide_info: 'Send the information',
  approve: 'Approve',
  reject: 'Reject',
  mark_won: 'Mark won',
  mark_lost: 'Mark lost',
  withdraw: 'Withdraw',
};
const needsNote: RegistrationAction[] = ['request_info', 'provide_info'];

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm">{children}</Text>
    </div>
  );
}

/** One registration: what was registered, where it stands, what the viewer may do next, and its history. */
export function RegistrationDetailView({ registration: r }: { registration: Detail }) {
  const [note, setNote] = useState('');
  const transition = useTransitionRegistration(r.id);
  const submit = useSubmitRegistration(r.id);
  const extension = useRequestExtension(r.id);
  const decision = useDecideExtension(r.id);
  const error = transition.error ?? submit.error ?? extension.error ?? decision.error;
  const act = (action: RegistrationAction) => {
    const text = note.trim() || undefined;
    transition.mutate(action === 'reject' ? { action, reason: text } : { action, note: text }, { onSuccess: () => setNote('') });
  };
  const canAct = r.allowedActions.length > 0 || r.status === 'draft' || r.canRequestExtension || r.canDecideExtension;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Stack gap="md">
          <Paper withBorder radius="md" p="md">
            <Group justify="space-between" mb="sm">
              <Title order={2} fz="lg">
                {r.endCustomerName}
              </Title>
              <RegistrationStatusBadge status={r.status} internal={r.internal !== null && r.internal !== undefined} />
            </Group>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <Field label="Scenario">{r.scenario.name}</Field>
              <Field label="Value">{formatMoney({ amountMinor: r.valueMinor, currency: r.currency })}</Field>
              <Field label="Expected close">{formatDate(r.expectedCloseOn)}</Field>
              <Field label="Customer domain">{r.endCustomerDomain ?? '—'}</Field>
              <Field label="Country">{formatCountry(r.endCustomerCountry)}</Field>
              <Field label="Tax id">{r.endCustomerTaxId ?? '—'}</Field>
              <Field label="Product line">{r.productLine ?? '—'}</Field>
              <Field label="Region">{r.region ?? '—'}</Field>
              <Field label="Partner">{r.partnerName ?? '—'}</Field>
              <Field label="Submitted">{formatDateTime(r.submittedAt)}</Field>
              <Field label="Owning unit">{r.owningUnit ?? '—'}</Field>
              {r.reviewerName && <Field label="Reviewer">{r.reviewerName}</Field>}
              <Field label="Answer SLA">
                <SlaClock sla={r.sla} />
              </Field>
              <Field label="Answer due">{formatDateTime(r.sla.dueAt)}</Field>
              <Field label="Protected until">{r.protectionEndsOn ? formatDate(r.protectionEndsOn) : '—'}</Field>
              {r.decisionReason && <Field label="Reason">{r.decisionReason}</Field>}
              {r.internal && <Field label="Possible conflict">{r.internal.inConflict ? 'Yes: see conflicts' : 'No'}</Field>}
              {r.internal?.escalationName && <Field label="Escalates to">{r.internal.escalationName}</Field>}
            </SimpleGrid>
            {r.description && (
              <Text fz="sm" mt="sm">
                {r.description}
              </Text>
            )}
          </Paper>
          {canAct && (
            <Paper withBorder radius="md" p="md">
              <Title order={2} fz="md" mb="sm">
                Next steps
              </Title>
              <Stack gap="sm">
                <FormError error={error} />
                <Textarea label="Note or reason" autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
                <Group gap="xs">
                  {r.status === 'draft' && (
                    <Button onClick={() => submit.mutate()} loading={submit.isPending}>
                      Submit for review
                    </Button>
                  )}
                  {r.allowedActions.map((a) => (
                    <Button
                      key={a}
                      variant={a === 'approve' || a === 'start_review' || a === 'provide_info' ? 'filled' : 'default'}
                      color={a === 'reject' || a === 'withdraw' ? 'red' : undefined}
                      disabled={(needsNote.includes(a) || a === 'reject') && note.trim() === ''}
                      loading={transition.isPending && transition.variables?.action === a}
                      onClick={() => act(a)}
                    >
                      {actionLabels[a]}
                    </Button>
                  ))}
                  {r.canRequestExtension && (
                    <Button variant="default" loading={extension.isPending} onClick={() => extension.mutate(note.trim() || undefined)}>
                      Request an extension
                    </Button>
                  )}
                  {r.canDecideExtension && (
                    <>
                      <Button loading={decision.isPending} onClick={() => decision.mutate({ decision: 'grant', note: note.trim() || undefined })}>
                        Grant extension
                      </Button>
                      <Button variant="default" color="red" onClick={() => decision.mutate({ decision: 'deny', note: note.trim() || undefined })}>
                        Deny extension
                      </Button>
                    </>
                  )}
                </Group>
              </Stack>
            </Paper>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Paper withBorder radius="md" p="md">
          <Title order={2} fz="md" mb="sm">
            History
          </Title>
          <RegistrationHistory events={r.events} />
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
