import { EmptyState, Paper } from '@mantine/core';
import { IconBuildingCommunity } from '@tabler/icons-react';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { canEditPartner } from '../../features/partners/partner-permissions.ts';
import { PartnerDetail } from '../../features/partners/components/partner-detail.tsx';

export function MyOrganisationPage() {
  const { user } = useCurrentSession();
  if (!user.partnerId) {
    return (
      <>
        <PageHeader title="My organisation" />
        <Paper withBorder p="xl" radius="md">
          <EmptyState
            icon={<IconBuildingCommunity size={30} aria-hidden />}
            title="Not linked to a partner organisation"
            description="Your account does not belong to a partner organisation yet. Ask your channel manager to link it."
          />
        </Paper>
      </>
    );
  }
  return <PartnerDetail partnerId={user.partnerId} canManage={canEditPartner(user, user.partnerId)} heading={() => 'My organisation'} />;
}
