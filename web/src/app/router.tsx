import { createBrowserRouter, Navigate } from 'react-router';
import type { AreaId } from './areas.ts';
import { AreaGate } from './area-gate.tsx';
import { RequireSession } from './require-session.tsx';
import { ShellLayout } from './shell/shell-layout.tsx';
import { AccountDetailPage } from './pages/account-detail-page.tsx';
import { AccountsPage } from './pages/accounts-page.tsx';
import { ApiTokensPage } from './pages/api-tokens-page.tsx';
import { AreaPlaceholderPage } from './pages/area-placeholder-page.tsx';
import { AuditPage } from './pages/audit-page.tsx';
import { CompParticipantDetailPage } from './pages/comp-participant-detail-page.tsx';
import { CompParticipantsPage } from './pages/comp-participants-page.tsx';
import { CompPlanDetailPage } from './pages/comp-plan-detail-page.tsx';
import { CompPlansPage } from './pages/comp-plans-page.tsx';
import { MakingTheNumberPage } from './pages/making-the-number-page.tsx';
import { ScorecardActivitiesPage } from './pages/scorecard-activities-page.tsx';
import { ScorecardMetricsPage } from './pages/scorecard-metrics-page.tsx';
import { ScorecardPage } from './pages/scorecard-page.tsx';
import { ScorecardSnapshotPage } from './pages/scorecard-snapshot-page.tsx';
import { ScorecardTargetsPage } from './pages/scorecard-targets-page.tsx';
import { ScorecardsPage } from './pages/scorecards-page.tsx';
import { TierCompliancePage } from './pages/tier-compliance-page.tsx';
import { CompRolloutPage, CompRolloutsPage } from './pages/comp-rollout-page.tsx';
import { MyCompPlanPage } from './pages/my-comp-plan-page.tsx';
import { CompSettingsPage } from './pages/comp-settings-page.tsx';
import { CompSimulationPage } from './pages/comp-simulation-page.tsx';
import { CommissionsImportsPage } from './pages/commissions-imports-page.tsx';
import { CommissionsRunsPage } from './pages/commissions-runs-page.tsx';
import { CommissionsStatementsPage } from './pages/commissions-statements-page.tsx';
import { CommissionsPeriodsPage } from './pages/commissions-periods-page.tsx';
import { CommissionsPeriodDetailPage } from './pages/commissions-period-detail-page.tsx';
import { CommissionsSettingsPage } from './pages/commissions-settings-page.tsx';
import { CommissionsDisputesPage } from './pages/commissions-disputes-page.tsx';
import { CommissionsDisputeDetailPage } from './pages/commissions-dispute-detail-page.tsx';
import { MyStatementsPage } from './pages/my-statements-page.tsx';
import { ConflictDetailPage } from './pages/conflict-detail-page.tsx';
import { ConflictHeatmapPage } from './pages/conflict-heatmap-page.tsx';
import { ConflictQueuePage } from './pages/conflict-queue-page.tsx';
import { FrictionPage } from './pages/friction-page.tsx';
import { HomePage } from './pages/home-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { MyOrganisationPage } from './pages/my-organisation-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { PartnerDetailPage } from './pages/partner-detail-page.tsx';
import { PartnersPage } from './pages/partners-page.tsx';
import { ReengagementPage } from './pages/reengagement-page.tsx';
import { DealInboxPage } from './pages/deal-inbox-page.tsx';
import { EngagementPage } from './pages/engagement-page.tsx';
import { OffersAdminPage } from './pages/offers-admin-page.tsx';
import { RegistrationBulkPage } from './pages/registration-bulk-page.tsx';
import { RegistrationDetailPage } from './pages/registration-detail-page.tsx';
import { RegistrationListPage } from './pages/registration-list-page.tsx';
import { RegistrationNewPage } from './pages/registration-new-page.tsx';
import { ReviewQueuePage } from './pages/review-queue-page.tsx';
import { RulesAdminPage } from './pages/rules-admin-page.tsx';
import { RulesOfTheRoadPage } from './pages/rules-of-the-road-page.tsx';
import { ScenariosPage } from './pages/scenarios-page.tsx';
import { RouteErrorPage } from './pages/route-error-page.tsx';
import { SetupPage } from './pages/setup-page.tsx';
import { UsersPage } from './pages/users-page.tsx';

const placeholders: { path: string; id: AreaId }[] = [
  { path: 'governance', id: 'governance' },
  { path: 'plan', id: 'plan' },
  { path: 'voice', id: 'voice' },
  { path: 'comms', id: 'comms' },
  { path: 'roi', id: 'roi' },
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
        path: 'partners/reengagement',
        element: (
          <AreaGate id="partners">
            <ReengagementPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement',
        element: (
          <AreaGate id="engagement">
            <EngagementPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/offers',
        element: (
          <AreaGate id="engagement">
            <OffersAdminPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/friction',
        element: (
          <AreaGate id="engagement">
            <FrictionPage />
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
        path: 'accounts',
        element: (
          <AreaGate id="accounts">
            <AccountsPage />
          </AreaGate>
        ),
      },
      {
        path: 'accounts/:accountId',
        element: (
          <AreaGate id="accounts">
            <AccountDetailPage />
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
      {
        path: 'rules-of-the-road',
        element: (
          <AreaGate id="rules-of-the-road">
            <RulesOfTheRoadPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/rules',
        element: (
          <AreaGate id="engagement">
            <RulesAdminPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/scenarios',
        element: (
          <AreaGate id="engagement">
            <ScenariosPage />
          </AreaGate>
        ),
      },
      // Deal registration: the partner portal's pages, and the reviewers' queue.
      ...(
        [
          ['registrations', 'registrations', <RegistrationListPage key="list" />],
          ['registrations/new', 'registrations', <RegistrationNewPage key="new" />],
          ['registrations/bulk', 'registrations', <RegistrationBulkPage key="bulk" />],
          ['registrations/inbox', 'registrations', <DealInboxPage key="inbox" />],
          ['registrations/disputes', 'registrations', <CommissionsDisputesPage key="partner-disputes" />],
          ['registrations/disputes/:disputeId', 'registrations', <CommissionsDisputeDetailPage key="partner-dispute" />],
          ['registrations/:registrationId', 'registrations', <RegistrationDetailPage key="detail" />],
          ['engagement/review-queue', 'engagement', <ReviewQueuePage key="queue" />],
          ['engagement/registrations/:registrationId', 'engagement', <RegistrationDetailPage key="internal-detail" />],
        ] as const
      ).map(([path, id, page]) => ({ path, element: <AreaGate id={id}>{page}</AreaGate> })),
      // Channel conflicts (internal: channel managers, the programme lead, administrators).
      {
        path: 'engagement/conflicts',
        element: (
          <AreaGate id="engagement">
            <ConflictQueuePage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/conflicts/heatmap',
        element: (
          <AreaGate id="engagement">
            <ConflictHeatmapPage />
          </AreaGate>
        ),
      },
      {
        path: 'engagement/conflicts/:conflictId',
        element: (
          <AreaGate id="engagement">
            <ConflictDetailPage />
          </AreaGate>
        ),
      },
      // Compensation plans: design, approval and publication (comp admins edit; finance approves; leadership reads).
      {
        path: 'comp-plans',
        element: (
          <AreaGate id="comp-plans">
            <CompPlansPage />
          </AreaGate>
        ),
      },
      // Participants, their assignments and quotas; the payout ceiling (static paths rank above :planId).
      {
        path: 'comp-plans/participants',
        element: (
          <AreaGate id="comp-plans">
            <CompParticipantsPage />
          </AreaGate>
        ),
      },
      {
        path: 'comp-plans/participants/:participantId',
        element: (
          <AreaGate id="comp-plans">
            <CompParticipantDetailPage />
          </AreaGate>
        ),
      },
      {
        path: 'comp-plans/simulation',
        element: (
          <AreaGate id="comp-plans">
            <CompSimulationPage />
          </AreaGate>
        ),
      },
      {
        path: 'comp-plans/settings',
        element: (
          <AreaGate id="comp-plans">
            <CompSettingsPage />
          </AreaGate>
        ),
      },
      // Plan rollouts (documents, acknowledgement, the 30-day clock) and the participant's own plan.
      {
        path: 'comp-plans/rollout',
        element: (
          <AreaGate id="comp-plans">
            <CompRolloutsPage />
          </AreaGate>
        ),
      },
      {
        path: 'comp-plans/rollout/:rolloutId',
        element: (
          <AreaGate id="comp-plans">
            <CompRolloutPage />
          </AreaGate>
        ),
      },
      // Commissions: transaction imports, period runs, statements; participants read their own statements.
      { path: 'commissions', element: <Navigate to="/commissions/imports" replace /> },
      // Disputes: every internal user reaches them (sellers and managers their own and their team's; the API decides).
      ...(
        [
          ['commissions/disputes', <CommissionsDisputesPage key="disputes" />],
          ['commissions/disputes/:disputeId', <CommissionsDisputeDetailPage key="dispute" />],
        ] as const
      ).map(([path, page]) => ({
        path,
        element: (
          <AreaGate id="commissions" internal>
            {page}
          </AreaGate>
        ),
      })),
      ...(
        [
          ['commissions/imports', <CommissionsImportsPage key="imports" />],
          ['commissions/runs', <CommissionsRunsPage key="runs" />],
          ['commissions/statements', <CommissionsStatementsPage key="statements" />],
          ['commissions/periods', <CommissionsPeriodsPage key="periods" />],
          ['commissions/periods/:periodId', <CommissionsPeriodDetailPage key="period" />],
          ['commissions/settings', <CommissionsSettingsPage key="settings" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <AreaGate id="commissions">{page}</AreaGate> })),
      {
        path: 'my/statements',
        element: (
          <AreaGate id="my-statements">
            <MyStatementsPage />
          </AreaGate>
        ),
      },
      {
        path: 'my/comp-plan',
        element: (
          <AreaGate id="my-comp-plan">
            <MyCompPlanPage />
          </AreaGate>
        ),
      },
      {
        path: 'comp-plans/:planId',
        element: (
          // Internal users without the area reach a plan by link: a manager signs off a version of their team's plan.
          <AreaGate id="comp-plans" internal>
            <CompPlanDetailPage />
          </AreaGate>
        ),
      },
      // Scorecards: definitions, live figures, published snapshots (partners: their own), metrics, activities.
      ...(
        [
          ['scorecards', <ScorecardsPage key="scorecards" />],
          ['scorecards/metrics', <ScorecardMetricsPage key="metrics" />],
          ['scorecards/activities', <ScorecardActivitiesPage key="activities" />],
          ['scorecards/making-the-number', <MakingTheNumberPage key="number" />],
          ['scorecards/tier-compliance', <TierCompliancePage key="tiers" />],
          ['scorecards/snapshots/:snapshotId', <ScorecardSnapshotPage key="snapshot" />],
          ['scorecards/:key/targets', <ScorecardTargetsPage key="targets" />],
          ['scorecards/:key', <ScorecardPage key="scorecard" />],
        ] as const
      ).map(([path, page]) => ({ path, element: <AreaGate id="scorecards">{page}</AreaGate> })),
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
