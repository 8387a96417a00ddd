import { Badge, EmptyState, Paper, Text } from '@mantine/core';
import { useCurrentSession } from '../../features/identity/api/get-session.ts';
import { PageHeader } from '../../components/ui/page-header.tsx';
import { AreaIcon } from '../area-icon.tsx';
import { findArea, type AreaId } from '../areas.ts';

/** The honest page of an area that is not built yet: what it will hold, and nothing invented. */
export function AreaPlaceholderPage({ id }: { id: AreaId }) {
  const { user } = useCurrentSession();
  const area = findArea(user.roles, id);
  if (!area) return null;
  return (
    <>
      <PageHeader
        title={area.label}
        badge={
          <Badge variant="outline" color="gray.7" size="sm">
            Not available yet
          </Badge>
        }
      />
      <Paper withBorder p="xl" radius="md">
        <EmptyState
          icon={<AreaIcon name={area.icon} size={30} />}
          variant="light"
          title={`${area.label} is not available yet`}
          description={
            <>
              <Text fz="sm" component="span" display="block">
                This area will hold: {area.holds}
              </Text>
              {area.audienceNote && (
                <Text fz="sm" c="dimmed" component="span" display="block" mt={6}>
                  {area.audienceNote}
                </Text>
              )}
            </>
          }
        />
      </Paper>
    </>
  );
}
