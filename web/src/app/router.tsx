import { createBrowserRouter } from 'react-router';
import type { AreaId } from './areas.ts';
import { AreaGate } from './area-gate.tsx';
import { RequireSession } from './require-session.tsx';
import { ShellLayout } from './shell/shell-layout.tsx';
import { ApiTokensPage } from './pages/api-tokens-page.tsx';
import { AreaPlaceholderPage } from './pages/area-placeholder-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { MyOrganisationPage } from './pages/my-organisation-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PartnerDetailPage } from './pages/partner-detail-page.tsx';
import { PartnersPage } from './pages/partners-page.tsx';
import { RouteErrorPage } from './pages/route-error-page.tsx';
import { SetupPage } from './pages/setup-page.tsx';
import { UsersPage } from './pages/users-page.tsx';

const placeholders: { path: string; id: AreaId }[] = [
  { path: 'governance', id: 'governance' },
  { path: 'plan', id: 'plan' },
  { path: 'accounts', id: 'accounts' },
  { path: 'engagement', id: 'engagement' },
  { path: 'voice', id: 'voice' },
  { path: 'comms', id: 'comms' },
  { path: 'comp-plans', id: 'comp-plans' },
  { path: 'my/comp-plan', id: 'my-comp-plan' },
  { path: 'commissions', id: 'commissions' },
  { path: 'my/statements', id: 'my-statements' },
  { path: 'scorecards', id: 'scorecards' },
  { path: 'roi', id: 'roi' },
  { path: 'registrations', id: 'registrations' },
  { path: 'rules-of-the-road', id: 'rules-of-the-road' },
];

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  { path: '/setup', element: <SetupPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <ShellLayout />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: 'partners',
        element: (
          <AreaGate id="partners">
            <PartnersPage />
          </AreaGate>
        ),
      },
      {
        path: 'partners/:partnerId',
        element: (
          <AreaGate id="partners">
            <PartnerDetailPage />
          </AreaGate>
        ),
      },
      {
        path: 'my-organisation',
        element: (
          <AreaGate id="my-organisation">
            <MyOrganisationPage />
          </AreaGate>
        ),
      },
      {
        path: 'admin/users',
        element: (
          <AreaGate id="users">
            <UsersPage />
          </AreaGate>
        ),
      },
      {
        path: 'admin/api-tokens',
        element: (
          <AreaGate id="api-tokens">
            <ApiTokensPage />
          </AreaGate>
        ),
      },
      {
        path: 'admin/audit',
        element: (
          <AreaGate id="audit">
            <AuditPage />
          </AreaGate>
        ),
      },
      ...placeholders.map(({ path, id }) => ({
        path,
        element: (
          <AreaGate id={id}>
            <AreaPlaceholderPage id={id} />
          </AreaGate>
        ),
      })),
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
