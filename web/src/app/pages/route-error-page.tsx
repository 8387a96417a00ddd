import { Button, Center, Code, Paper, Stack, Text, Title } from '@mantine/core';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useDocumentTitle } from '../../lib/use-document-title.ts';

/** Last-resort page when rendering a route throws; keeps the app recoverable. */
export function RouteErrorPage() {
  useDocumentTitle('Something went wrong');
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" maw={560} w="100%">
        <Stack gap="sm">
          <Title order={1} fz={22}>
            Something went wrong
          </Title>
          <Text fz="sm">This page failed to display. Reloading usually helps; if it does not, tell your administrator.</Text>
          <Code block>{message}</Code>
          <Button onClick={() => window.location.assign('/')} w="fit-content">
            Reload Realign
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
