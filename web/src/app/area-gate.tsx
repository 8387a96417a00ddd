import type { ReactNode } from 'react';
import { useCurrentSession } from '../features/identity/api/get-session.ts';
import { findArea, type AreaId } from './areas.ts';
import { NotFoundPage } from './pages/not-found-page.tsx';

/**
 * Renders the page only for users whose navigation holds the area; others get "not found".
 * `internal`: every internal user passes too (the API decides what they read, e.g. a manager's sign-off).
 */
export function AreaGate({ id, internal = false, children }: { id: AreaId; internal?: boolean; children: ReactNode }) {
  const { user } = useCurrentSession();
  return findArea(user.roles, id) || (internal && user.partnerId === null) ? children : <NotFoundPage />;
}
