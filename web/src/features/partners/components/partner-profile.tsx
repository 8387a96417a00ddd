import { Anchor, Badge, DataList, Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { PartnerView } from '../../../../../common/api/partners.ts';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { formatCountry, formatDateTime } from '../../../lib/format.ts';

function websiteHref(url: string): string {
  return /^https?:\/\//i.test(url) ? url : `https://${url}`;
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel c="dimmed">{label}</DataList.ItemLabel>
      <DataList.ItemValue>{value}</DataList.ItemValue>
    </DataList.Item>
  );
}

function Tags({ items }: { items: string[] }) {
  if (items.length === 0) return '—';
  return (
    <Group gap={4}>
      {items.map((t) => (
        <Badge key={t} size="sm" variant="outline" color="gray" tt="none">
          {t}
        </Badge>
      ))}
    </Group>
  );
}

export function PartnerProfile({ partner }: { partner: PartnerView }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} fz="md" mb="sm">
        Profile
      </Title>
      <DataList size="sm" gap={8} labelWidth={110}>
        <Row label="Legal name" value={partner.legalName ?? '—'} />
        <Row label="Tier" value={partner.tier} />
        <Row label="Status" value={<StatusBadge status={partner.status} />} />
        <Row label="Country" value={formatCountry(partner.country)} />
        <Row
          label="Website"
          value={
            partner.website ? (
              <Anchor href={websiteHref(partner.website)} target="_blank" rel="noopener noreferrer" fz="sm">
                {partner.website}
              </Anchor>
            ) : (
              '—'
            )
          }
        />
        <Row label="Regions" value={<Tags items={partner.regions} />} />
        <Row label="Specialisations" value={<Tags items={partner.specialisations} />} />
        <Row label="Channel manager" value={partner.channelManagerName ?? '—'} />
        <Row label="Last engagement" value={partner.lastEngagementAt ? formatDateTime(partner.lastEngagementAt) : 'Never'} />
        <Row label="Created" value={formatDateTime(partner.createdAt)} />
        <Row label="Updated" value={formatDateTime(partner.updatedAt)} />
      </DataList>
    </Paper>
  );
}
