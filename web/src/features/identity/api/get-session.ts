import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SessionView } from '../../../../../common/api/identity.ts';
import { apiRequest, isApiError, setCsrfToken } from '../../../lib/api-client.ts';

export const sessionQueryKey = ['session'] as const;

/** The signed-in session, or null when nobody is signed in (401 is an answer here, not an error). */
export async function getSession(signal?: AbortSignal): Promise<SessionView | null> {
  try {
    const session = await apiRequest<SessionView>('/api/auth/me', { signal, quietUnauthenticated: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: sessionQueryKey,
    queryFn: ({ signal }) => getSession(signal),
    staleTime: 5 * 60_000,
    retry: false,
  });

export function useSession() {
  return useQuery(sessionQueryOptions());
}

/** The session inside the signed-in part of the app (the route guard guarantees it exists). */
export function useCurrentSession(): SessionView {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentSession used outside a signed-in route');
  return data;
}
