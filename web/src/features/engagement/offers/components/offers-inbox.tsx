import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import type { OfferView } from '../../../../../../common/api/engagement-offers.ts';
import { formatMoney } from '../../../../../../common/money.ts';
import { FormError } from '../../../../components/ui/form-error.tsx';
import { StatusBadge } from '../../../../components/ui/status-badge.tsx';
import { formatDate } from '../../../../lib/format.ts';
import { useAcceptOffer } from '../api/accept-offer.ts';
import { useDeclineOffer } from '../api/decline-offer.ts';

function OfferCard({ offer }: { offer: OfferView }) {
  const [note, setNote] = useState('');
  const accept = useAcceptOffer();
  const decline = useDeclineOffer();
  return (
    <Paper withBorder radius="md" p="md" component="article" aria-label={`Offer: ${offer.endCustomerName}`}>
      <Group justify="space-between" mb="xs">
        <Title order={2} fz="md">
          {offer.endCustomerName}
        </Title>
        <StatusBadge status={offer.status} />
      </Group>
      <Text fz="sm">
        {offer.scenario.name} · {formatMoney({ amountMinor: offer.valueMinor, currency: offer.currency })} · answer by {formatDate(offer.respondBy)}
      </Text>
      {offer.description && <Text fz="sm">{offer.description}</Text>}
      {offer.registrationId && (
        <Text fz="sm" mt="xs">
          Registered as <Link to={`/registrations/${offer.registrationId}`}>{offer.registrationReference}</Link>
        </Text>
      )}
      {offer.responseNote && (
        <Text fz="sm" c="dimmed">
          Your note: {offer.responseNote}
        </Text>
      )}
      {offer.status === 'offered' && (
        <Stack gap="xs" mt="sm">
          <FormError error={accept.error ?? decline.error} />
          <TextInput label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group gap="xs">
            <Button loading={accept.isPending} onClick={() => accept.mutate({ id: offer.id, note: note.trim() || undefined })}>
              Accept and register
            </Button>
            <Button
              variant="default"
              color="red"
              disabled={note.trim() === ''}
              loading={decline.isPending}
              onClick={() => decline.mutate({ id: offer.id, note: note.trim() })}
            >
              Decline
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}

/** The partner's deal inbox: opportunities the vendor pushed, to accept or decline. */
export function OffersInbox({ offers }: { offers: OfferView[] }) {
  if (offers.length === 0) return <Text c="dimmed">Your deal inbox is empty.</Text>;
  return (
    <Stack gap="sm">
      {offers.map((o) => (
        <OfferCard key={o.id} offer={o} />
      ))}
    </Stack>
  );
}
