import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { DisputeDetail, DisputeEventView, InternalDisputeDetail } from '../../../../../common/api/commissions-disputes.ts';
import { parseMajorAmount } from '../../../../../common/money.ts';
import { FormError } from '../../../components/ui/form-error.tsx';
import { ModalButton } from '../../../components/ui/modal-button.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { money } from '../../comp-simulation/simulation-format.ts';
import { useDisputeAction, useDisputeAssignees, useDisputes } from '../api/disputes.ts';
import { periodLabel } from '../commissions-format.ts';
import { DisputeStatusBadge } from './dispute-status-badge.tsx';

type Action = ReturnType<typeof useDisputeAction>;

const eventLabels: Record<DisputeEventView['kind'], string> = {
  opened: 'Opened',
  assigned: 'Assigned',
  commented: 'Comment',
  linked: 'Linked',
  merged: 'Merged',
  status_changed: 'Status changed',
  resolved: 'Resolved',
  rejected: 'Rejected',
  reopened: 'Reopened',
  adjustment_booked: 'Adjustment booked',
};

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="dimmed">
        {name}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md" mb="md" component="section" aria-labelledby={id}>
      <Title id={id} order={2} fz="md" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function SellerSide({ d }: { d: InternalDisputeDetail }) {
  if (d.payHidden)
    return (
      <Section id="seller-side" title="Seller's question">
        <Text fz="sm" c="dimmed">
          The case holds a seller&apos;s pay question you may not read.
        </Text>
      </Section>
    );
  const c = d.claim;
  return (
    <Section id="seller-side" title="Seller's question">
      {!c ? (
        <Text fz="sm" c="dimmed">
          No seller side yet: link a statement line or a deal.
        </Text>
      ) : (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Field name="Participant">{c.participantName}</Field>
            {c.line && (
              <Field name="Statement line">
                {c.line.componentName ?? c.line.componentKey} ({c.line.periodStart && c.line.periodEnd ? periodLabel(c.line.periodStart, c.line.periodEnd) : ''}
                ) · {money(c.line.amountMinor, c.line.currency)}
              </Field>
            )}
            {c.deal && <Field name="Deal">{c.deal.transactionRef}</Field>}
            {c.claimed && <Field name="Claimed">{money(c.claimed.amountMinor, c.claimed.currency)}</Field>}
          </SimpleGrid>
          <Field name="Question">
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.question}
            </Text>
          </Field>
        </Stack>
      )}
    </Section>
  );
}

function PartnerSide({ d }: { d: DisputeDetail }) {
  const r = d.registration;
  return (
    <Section id="partner-side" title="Registration and evidence">
      {!r ? (
        <Text fz="sm" c="dimmed">
          No registration is part of this case.
        </Text>
      ) : (
        <Stack gap="xs">
          <SimpleGrid cols={{ base: 1, sm: 4 }}>
            <Field name="Registration">{r.reference}</Field>
            <Field name="End customer">{r.endCustomerName}</Field>
            <Field name="Status">{r.status.replaceAll('_', ' ')}</Field>
            <Field name="Value">{money(r.valueMinor, r.currency)}</Field>
            <Field name="Decided">{r.decidedAt ? formatDateTime(r.decidedAt) : '—'}</Field>
            <Field name="Decision reason">{r.decisionReason ?? '—'}</Field>
            <Field name="Protected until">{r.protectionEndsOn ?? '—'}</Field>
          </SimpleGrid>
          {d.partnerStatement && (
            <Field name="Partner's statement">
              <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {d.partnerStatement}
              </Text>
            </Field>
          )}
          {d.evidenceLinks.length > 0 && (
            <Field name="Evidence">
              <Stack gap={2}>
                {d.evidenceLinks.map((l) => (
                  <Anchor key={l} href={l} target="_blank" rel="noreferrer noopener" fz="sm">
                    {l}
                  </Anchor>
                ))}
              </Stack>
            </Field>
          )}
          <Field name="Registration history">
            <Stack gap={2}>
              {r.history.map((h, i) => (
                <Text key={`${h.at}-${i}`} fz="xs">
                  {formatDateTime(h.at)} · {h.kind.replaceAll('_', ' ')}
                  {h.toStatus ? ` → ${h.toStatus.replaceAll('_', ' ')}` : ''}
                  {h.note ? ` · ${h.note}` : ''}
                </Text>
              ))}
            </Stack>
          </Field>
        </Stack>
      )}
    </Section>
  );
}

function History({ events }: { events: readonly DisputeEventView[] }) {
  return (
    <Section id="history" title="History">
      <Timeline bulletSize={14} lineWidth={2}>
        {events.map((e) => (
          <Timeline.Item
            key={e.id}
            title={
              <Group gap="xs">
                <Text fz="sm" fw={600}>
                  {eventLabels[e.kind]}
                </Text>
                {e.internalOnly && (
                  <Badge size="xs" color="gray" variant="outline">
                    Internal
                  </Badge>
                )}
              </Group>
            }
          >
            <Text fz="xs" c="dimmed">
              {e.actorLabel} · {formatDateTime(e.at)} · {e.disputeReference}
              {e.toStatus ? ` · now ${e.toStatus.replaceAll('_', ' ')}` : ''}
            </Text>
            {e.body && (
              <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {e.body}
              </Text>
            )}
            {e.kind === 'adjustment_booked' && e.detail && typeof e.detail.amountMinor === 'number' && typeof e.detail.currency === 'string' && (
              <Text fz="sm">{money(e.detail.amountMinor, e.detail.currency)}</Text>
            )}
          </Timeline.Item>
        ))}
      </Timeline>
    </Section>
  );
}

function CommentForm({ action, canInternal }: { action: Action; canInternal: boolean }) {
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    action.mutate({ action: 'comments', body: { body, internal } }, { onSuccess: () => setBody('') });
  };
  return (
    <form onSubmit={submit} aria-label="Add a comment">
      <Stack gap="xs">
        <Textarea label="Comment" required autosize minRows={2} maxLength={4000} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <Group justify="space-between">
          {canInternal ? (
            <Checkbox label="Internal only (never shown to partners)" checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
          ) : (
            <span />
          )}
          <Button type="submit" loading={action.isPending && action.variables?.action === 'comments'}>
            Add comment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function AssignForm({ d, action }: { d: InternalDisputeDetail; action: Action }) {
  const assignees = useDisputeAssignees(true);
  const [who, setWho] = useState<string | null>(d.assignee?.id ?? null);
  return (
    <Group align="flex-end" gap="xs">
      <Select
        label="Assignee"
        placeholder={assignees.isPending ? 'Loading…' : 'Choose a person'}
        data={(assignees.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
        value={who}
        onChange={setWho}
        searchable
        w={260}
      />
      <Button
        variant="light"
        disabled={!who || who === d.assignee?.id}
        onClick={() => who && action.mutate({ action: 'assign', body: { assigneeUserId: who } })}
      >
        Assign
      </Button>
    </Group>
  );
}

function ResolveForm({ d, action, canAdjust, done }: { d: InternalDisputeDetail; action: Action; canAdjust: boolean; done: () => void }) {
  const [note, setNote] = useState('');
  const [adjust, setAdjust] = useState(canAdjust && d.claim !== null);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(d.claim?.line?.currency ?? d.claim?.claimed?.currency ?? 'EUR');
  const [reason, setReason] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let adjustment: { amountMinor: number; currency: string; reason: string } | undefined;
    if (adjust) {
      try {
        adjustment = { amountMinor: parseMajorAmount(amount, currency), currency, reason };
      } catch (err) {
        setAmountError((err as Error).message);
        return;
      }
    }
    setAmountError(null);
    action.mutate({ action: 'resolve', body: { note, ...(adjustment ? { adjustment } : {}) } }, { onSuccess: done });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Textarea
          label="Resolution note"
          description="Shown to everyone on the case, partners included: no amounts here"
          required
          autosize
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        {canAdjust && (
          <Checkbox
            label="Book an adjustment in the current open commission period"
            checked={adjust}
            disabled={d.claim === null}
            onChange={(e) => setAdjust(e.currentTarget.checked)}
          />
        )}
        {adjust && (
          <Group grow align="flex-start">
            <TextInput
              label="Amount"
              description="Negative to claw back"
              required
              value={amount}
              error={amountError}
              onChange={(e) => setAmount(e.currentTarget.value)}
              inputMode="decimal"
            />
            <TextInput
              label="Currency"
              description="The plan currency"
              required
              maxLength={3}
              value={currency}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
            />
            <TextInput label="Reason (internal)" required maxLength={400} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
          </Group>
        )}
        <FormError error={action.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={action.isPending}>
            Resolve
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ReasonForm({ label, submitLabel, onSubmit, action }: { label: string; submitLabel: string; onSubmit: (text: string) => void; action: Action }) {
  const [text, setText] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(text);
      }}
    >
      <Stack gap="sm">
        <Textarea label={label} required autosize minRows={2} value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <FormError error={action.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={action.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function LinkForm({ d, action, done }: { d: DisputeDetail; action: Action; done: () => void }) {
  const open = useDisputes({ scope: 'all', status: 'open', limit: 200, offset: 0 });
  const [other, setOther] = useState<string | null>(null);
  const [registrationId, setRegistrationId] = useState('');
  const options = (open.data?.items ?? []).filter((x) => x.id !== d.id).map((x) => ({ value: x.id, label: `${x.reference} · ${x.subject}` }));
  return (
    <Stack gap="md">
      <Stack gap="xs">
        <Select label="Merge another open case into this one" placeholder="Choose a case" data={options} value={other} onChange={setOther} searchable />
        <Group justify="flex-end">
          <Button disabled={!other} onClick={() => other && action.mutate({ action: 'link', body: { kind: 'case', disputeId: other } }, { onSuccess: done })}>
            Merge case
          </Button>
        </Group>
      </Stack>
      {!d.registration && (
        <Stack gap="xs">
          <TextInput label="Or link a registration (its id)" value={registrationId} onChange={(e) => setRegistrationId(e.currentTarget.value.trim())} />
          <Group justify="flex-end">
            <Button
              variant="light"
              disabled={registrationId === ''}
              onClick={() => action.mutate({ action: 'link', body: { kind: 'registration', registrationId } }, { onSuccess: done })}
            >
              Link registration
            </Button>
          </Group>
        </Stack>
      )}
      <FormError error={action.error} />
    </Stack>
  );
}

/** One dispute: both sides, the adjustments, the history, and what the reader may do now. */
export function DisputeDetailView({ dispute: d, detailPath }: { dispute: DisputeDetail; detailPath: (id: string) => string }) {
  const action = useDisputeAction(d.id);
  const can = (a: DisputeDetail['allowedActions'][number]) => d.allowedActions.includes(a);
  return (
    <>
      <Paper withBorder radius="md" p="md" mb="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Title order={2} fz="lg">
                {d.subject}
              </Title>
              <DisputeStatusBadge status={d.status} outcome={d.outcome} />
            </Group>
            <Text fz="sm" c="dimmed">
              {d.reference} · opened {formatDateTime(d.createdAt)}
              {d.audience === 'internal' && d.openedBy ? ` by ${d.openedBy}` : ''}
              {d.audience === 'internal' && d.partner ? ` · partner ${d.partner.name}` : ''}
              {d.audience === 'internal' ? ` · ${d.assignee ? `assigned to ${d.assignee.name}` : 'unassigned'}` : ''}
            </Text>
          </div>
          <Group gap="xs">
            {can('start_review') && (
              <Button variant="light" loading={action.isPending} onClick={() => action.mutate({ action: 'transition', body: { action: 'start_review' } })}>
                Start review
              </Button>
            )}
            {can('resolve') && d.audience === 'internal' && (
              <ModalButton label="Resolve" title={`Resolve ${d.reference}`} onDismiss={() => action.reset()}>
                {(done) => <ResolveForm d={d} action={action} canAdjust={can('adjust')} done={done} />}
              </ModalButton>
            )}
            {can('reject') && (
              <ModalButton label="Reject" variant="default" title={`Reject ${d.reference}`} onDismiss={() => action.reset()}>
                {(done) => (
                  <ReasonForm
                    label="Reason (shown to everyone on the case)"
                    submitLabel="Reject"
                    action={action}
                    onSubmit={(reason) => action.mutate({ action: 'reject', body: { reason } }, { onSuccess: done })}
                  />
                )}
              </ModalButton>
            )}
            {can('reopen') && (
              <ModalButton label="Reopen" variant="default" title={`Reopen ${d.reference}`} onDismiss={() => action.reset()}>
                {(done) => (
                  <ReasonForm
                    label="Why reopen?"
                    submitLabel="Reopen"
                    action={action}
                    onSubmit={(note) => action.mutate({ action: 'transition', body: { action: 'reopen', note } }, { onSuccess: done })}
                  />
                )}
              </ModalButton>
            )}
            {can('link') && (
              <ModalButton label="Link" variant="default" title={`Add to ${d.reference}`} onDismiss={() => action.reset()}>
                {(done) => <LinkForm d={d} action={action} done={done} />}
              </ModalButton>
            )}
          </Group>
        </Group>
        {d.mergedInto && (
          <Alert color="gray" mt="sm">
            This case was merged into{' '}
            <Anchor component={Link} to={detailPath(d.mergedInto.id)}>
              {d.mergedInto.reference}
            </Anchor>
            : continue there.
          </Alert>
        )}
        {d.resolutionNote && (
          <Alert color={d.status === 'rejected' ? 'red' : 'green'} mt="sm" title={d.status === 'rejected' ? 'Rejected' : 'Resolution'}>
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {d.resolutionNote}
            </Text>
          </Alert>
        )}
        {!action.isPending && action.error && !action.variables?.action.match(/resolve|reject|link/) && (
          <div style={{ marginTop: 8 }}>
            <FormError error={action.error} />
          </div>
        )}
        {d.audience === 'internal' && can('assign') && (
          <div style={{ marginTop: 12 }}>
            <AssignForm key={d.assignee?.id ?? 'none'} d={d} action={action} />
          </div>
        )}
      </Paper>
      {d.audience === 'internal' && <SellerSide d={d} />}
      <PartnerSide d={d} />
      {d.audience === 'internal' && d.adjustments.length > 0 && (
        <Section id="adjustments" title="Adjustments">
          <Table fz="sm" aria-label="Adjustments booked by this dispute">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Booked in</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col" ta="right">
                  Amount
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.adjustments.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{periodLabel(a.periodStart, a.periodEnd)}</Table.Td>
                  <Table.Td>{a.reason}</Table.Td>
                  <Table.Td ta="right">{money(a.amountMinor, a.currency)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Section>
      )}
      <History events={d.events} />
      {can('comment') && (
        <Section id="comment" title="Comment">
          <CommentForm action={action} canInternal={can('comment_internal')} />
        </Section>
      )}
    </>
  );
}
