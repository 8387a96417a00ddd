import type { ReactNode } from 'react';
import { useCurrentSession } from '../features/identity/api/get-session.ts';
import { findArea, type AreaId } from './areas.ts';
import { NotFoundPage } from './pages/not-found-page.tsx';

/** Renders the page only for users whose navigation holds the area; others get "not found". */
export function AreaGate({ id, children }: { id: AreaId; children: ReactNode }) {
  const { user } = useCurrentSession();
  return findArea(user.roles, id) ? children : <NotFoundPage />;
}
