import { Anchor, DataList, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AccountDetail } from '../../../../../common/api/accounts.ts';
import { formatCountry, formatDate, formatDateTime } from '../../../lib/format.ts';
import { CurrentOwner, segmentLabels } from './account-labels.tsx';

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{value}</DataList.ItemValue>
    </DataList.Item>
  );
}

export function AccountProfile({ account }: { account: AccountDetail }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb="sm">
        Profile
      </Title>
      <DataList size="sm" gap={8} labelWidth={110}>
        <Row
          label="Domain"
          value={
            account.domain ? (
              <Anchor href={`https://${account.domain}`} target="_blank" rel="noopener noreferrer" fz="sm">
                {account.domain}
              </Anchor>
            ) : (
              '—'
            )
          }
        />
        <Row label="Country" value={formatCountry(account.country)} />
        <Row label="Segment" value={account.segment ? segmentLabels[account.segment] : '—'} />
        <Row label="Industry" value={account.industry ?? '—'} />
        <Row label="Tax ID" value={account.taxId ?? '—'} />
        <Row
          label="Parent account"
          value={
            account.parentAccountId ? (
              <Anchor component={Link} to={`/accounts/${account.parentAccountId}`} fz="sm">
                {account.parentAccountName ?? 'Parent account'}
              </Anchor>
            ) : (
              '—'
            )
          }
        />
        <Row label="Created" value={formatDateTime(account.createdAt)} />
        <Row label="Updated" value={formatDateTime(account.updatedAt)} />
      </DataList>
    </Paper>
  );
}

export function CurrentOwnerCard({ account }: { account: AccountDetail }) {
  const o = account.currentOwnership;
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb="sm">
        Current owner
      </Title>
      <DataList size="sm" gap={8} labelWidth={110}>
        <Row label="Kind" value={<CurrentOwner ownership={o} />} />
        {o && <Row label="Partner" value={o.partnerName ?? '—'} />}
        {o && <Row label="Owner" value={o.ownerName ?? '—'} />}
        {o && <Row label="Since" value={formatDate(o.startsOn)} />}
        {o?.endsOn && <Row label="Until" value={formatDate(o.endsOn)} />}
      </DataList>
    </Paper>
  );
}
