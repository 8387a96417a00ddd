import { Badge } from '@mantine/core';
import type { RegistrationStatusName } from '../../../../../../common/api/engagement-registrations.ts';

const colours: Record<RegistrationStatusName, string> = {
  draft: 'gray',
  submitted: 'blue',
  under_review: 'indigo',
  more_info_requested: 'yellow',
  approved: 'green',
  rejected: 'red',
  expired: 'orange',
  won: 'teal',
  lost: 'gray',
  withdrawn: 'gray',
};

/** What each status is called; a partner sees "Awaiting review" for a submitted registration, whatever is behind it. */
export const registrationStatusLabels: Record<RegistrationStatusName, string> = {
  draft: 'Draft',
  submitted: 'Awaiting review',
  under_review: 'Under review',
  more_info_requested: 'More information requested',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  won: 'Won',
  lost: 'Lost',
  withdrawn: 'Withdrawn',
};

/** Vendor staff see the plain status: for them "submitted" means no reviewer has answered yet. */
export function RegistrationStatusBadge({ status, internal = false }: { status: RegistrationStatusName; internal?: boolean }) {
  return (
    // max-content: a table column must not squeeze the label into an ellipsis.
    <Badge size="sm" variant="light" color={colours[status]} w="max-content">
      {internal && status === 'submitted' ? 'Submitted' : registrationStatusLabels[status]}
    </Badge>
  );
}
