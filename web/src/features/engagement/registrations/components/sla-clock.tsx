import { Badge, Text } from '@mantine/core';
import type { SlaClock as SlaClockView } from '../../../../../../common/api/engagement-registrations.ts';

/** "1 d 4 h" from a number of seconds (whole hours; minutes under an hour). */
export function formatDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h`;
  return `${Math.max(1, Math.floor(s / 60))} min`;
}

/** The first-answer clock: running with time left, overdue, met, or not started. */
export function SlaClock({ sla }: { sla: SlaClockView }) {
  if (sla.state === 'not_started')
    return (
      <Text fz="sm" c="dimmed">
        —
      </Text>
    );
  if (sla.state === 'met')
    return (
      <Badge size="sm" variant="light" color="green" w="max-content">
        Answered in time
      </Badge>
    );
  if (sla.state === 'breached' || (sla.secondsLeft !== null && sla.secondsLeft < 0)) {
    return (
      <Badge size="sm" variant="filled" color="red" w="max-content">
        {sla.secondsLeft !== null && sla.secondsLeft < 0 ? `Overdue by ${formatDuration(sla.secondsLeft)}` : 'Answered late'}
      </Badge>
    );
  }
  return <Text fz="sm">{sla.secondsLeft === null ? '—' : `Answer due in ${formatDuration(sla.secondsLeft)}`}</Text>;
}
