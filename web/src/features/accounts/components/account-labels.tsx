import { Badge, Text } from '@mantine/core';
import type { AccountOwnershipView, AccountSegment, OwnershipKind } from '../../../../../common/api/accounts.ts';

export const segmentLabels: Record<AccountSegment, string> = {
  enterprise: 'Enterprise',
  mid_market: 'Mid-market',
  smb: 'Small business',
  public_sector: 'Public sector',
};

export const segmentOptions = (Object.keys(segmentLabels) as AccountSegment[]).map((value) => ({ value, label: segmentLabels[value] }));

export function isSegment(value: string | null | undefined): value is AccountSegment {
  return value != null && Object.hasOwn(segmentLabels, value);
}

export const ownershipKindLabels: Record<OwnershipKind, string> = {
  direct: 'Direct',
  channel: 'Channel',
  shared: 'Shared',
};

const kindColours: Record<OwnershipKind, string> = { direct: 'realign', channel: 'grape', shared: 'teal' };

export function OwnershipKindBadge({ kind }: { kind: OwnershipKind }) {
  return (
    <Badge size="sm" variant="light" color={kindColours[kind]}>
      {ownershipKindLabels[kind]}
    </Badge>
  );
}

/** "Channel · Northwind" style summary of who owns an account now, or a dimmed "No owner". */
export function CurrentOwner({ ownership }: { ownership: AccountOwnershipView | null }) {
  if (!ownership) {
    return (
      <Text fz="sm" c="dimmed">
        No owner
      </Text>
    );
  }
  return (
    <Text component="span" fz="sm" style={{ display: 'inline-flex', gap: 6, alignItems: 'center', whiteSpace: 'nowrap' }}>
      <OwnershipKindBadge kind={ownership.kind} />
      {ownership.partnerName && <span>{ownership.partnerName}</span>}
    </Text>
  );
}
