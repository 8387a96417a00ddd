import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { RouterProvider } from 'react-router';
import { sessionQueryKey, useSession } from '../features/identity/api/get-session.ts';
import { isApiError, setUnauthenticatedHandler } from '../lib/api-client.ts';
import { audienceOf } from './areas.ts';
import { router } from './router.tsx';
import { cssVariablesResolver, internalTheme, partnerTheme } from './theme.ts';

function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error) => {
        if (isApiError(error) && error.status === 401) client.setQueryData(sessionQueryKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        retry: (failures, error) => {
          if (isApiError(error) && error.status > 0 && error.status < 500) return false;
          return failures < 2;
        },
      },
      mutations: { retry: false },
    },
  });
  // Any 401 (expired or revoked session) drops the session; the route guard then shows login.
  setUnauthenticatedHandler(() => client.setQueryData(sessionQueryKey, null));
  return client;
}

/** Partner users get the partner-portal accent; everyone else the vendor's. */
function ThemedApp() {
  const { data: session } = useSession();
  const partner = session ? audienceOf(session.user.roles) === 'partner' : false;
  return (
    <MantineProvider theme={partner ? partnerTheme : internalTheme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-right" limit={4} />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ThemedApp />
    </QueryClientProvider>
  );
}
