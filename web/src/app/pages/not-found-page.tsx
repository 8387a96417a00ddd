import { Button, EmptyState, Paper } from '@mantine/core';
import { IconMapSearch } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Paper withBorder p="xl" radius="md">
        <EmptyState
          icon={<IconMapSearch size={30} aria-hidden />}
          title="There is nothing here"
          description="The page does not exist, or it is not available to your account."
        >
          <EmptyState.Actions>
            <Button component={Link} to="/" variant="default">
              Go to the home page
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    </>
  );
}
