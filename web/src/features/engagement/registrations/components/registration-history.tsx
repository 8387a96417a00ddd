import { Badge, Text, Timeline } from '@mantine/core';
import type { RegistrationEventView } from '../../../../../../common/api/engagement-registrations.ts';
import { formatDateTime } from '../../../../lib/format.ts';
import { registrationStatusLabels } from './registration-status-badge.tsx';

const kindLabels: Record<string, string> = {
  created: 'Created',
  submitted: 'Submitted',
  status_changed: 'Status changed',
  comment: 'Edited',
  info_requested: 'More information requested',
  info_provided: 'Information provided',
  extension_requested: 'Extension requested',
  extension_granted: 'Extension granted',
  extension_denied: 'Extension denied',
  sla_breached: 'Answer SLA breached',
  conflict_detected: 'Possible conflict detected',
  conflict_resolved: 'Conflict resolved',
  assigned: 'Assigned',
  expired: 'Protection expired',
};

const label = (s: string | null) => (s ? (registrationStatusLabels[s as keyof typeof registrationStatusLabels] ?? s) : '');

/** Every recorded step, oldest first: who, when, from what to what, and the note. */
export function RegistrationHistory({ events }: { events: RegistrationEventView[] }) {
  return (
    <Timeline bulletSize={14} lineWidth={2} aria-label="History">
      {events.map((e) => (
        <Timeline.Item
          key={e.id}
          title={
            <Text fz="sm" fw={600}>
              {kindLabels[e.kind] ?? e.kind}
              {e.fromStatus && e.toStatus ? `: ${label(e.fromStatus)} → ${label(e.toStatus)}` : ''}
              {e.internalOnly && (
                <Badge ml="xs" size="xs" variant="outline" color="grape">
                  Internal
                </Badge>
              )}
            </Text>
          }
        >
          <Text fz="xs" c="dimmed">
            {formatDateTime(e.at)} · {e.actorLabel}
          </Text>
          {e.note && <Text fz="sm">{e.note}</Text>}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
