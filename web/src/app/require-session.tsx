import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../features/identity/api/get-session.ts';
import { QueryError } from '../components/ui/query-error.tsx';

/** Shows its children to a signed-in user; sends anyone else to the login page. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) {
    return (
      <Center h="100vh" component="main">
        <Loader aria-label="Loading your session" />
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center h="100vh" p="md" component="main">
        <QueryError error={session.error} title="Realign is not reachable" onRetry={() => void session.refetch()} />
      </Center>
    );
  }
  if (!session.data) {
    const next = location.pathname + location.search;
    const search = next && next !== '/' ? `?next=${encodeURIComponent(next)}` : '';
    return <Navigate to={`/login${search}`} replace />;
  }
  return children;
}
