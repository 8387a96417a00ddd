import type { Deps } from '../deps.ts';
import { accountsRoutes } from '../modules/accounts/accounts.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { compPlansRoutes } from '../modules/comp-plans/comp-plans.routes.ts';
import { rolloutRoutes } from '../modules/comp-plans/rollout.routes.ts';
import { simulationRoutes } from '../modules/commissions/simulation.routes.ts';
import { runsRoutes } from '../modules/commissions/runs.routes.ts';
import { statementsRoutes } from '../modules/commissions/statements.routes.ts';
import { transactionsRoutes } from '../modules/commissions/transactions.routes.ts';
import { conflictsRoutes } from '../modules/engagement/conflicts.routes.ts';
import { frictionRoutes } from '../modules/engagement/friction.routes.ts';
import { offersRoutes } from '../modules/engagement/offers.routes.ts';
import { registrationsSummaryRoutes } from '../modules/engagement/registrations-summary.routes.ts';
import { registrationsRoutes } from '../modules/engagement/registrations.routes.ts';
import { rulesRoutes } from '../modules/engagement/rules.routes.ts';
import { scenariosRoutes } from '../modules/engagement/scenarios.routes.ts';
import { identityRoutes } from '../modules/identity/identity.routes.ts';
import { notificationsRoutes } from '../modules/notifications/notifications.routes.ts';
import { partnersRoutes } from '../modules/partners/partners.routes.ts';
import { reengagementRoutes } from '../modules/partners/reengagement.routes.ts';
import { scorecardsRoutes } from '../modules/scorecards/scorecards.routes.ts';
import type { ZodApp } from './zod-app.ts';

/** Every module's routes, listed once. */
export async function registerModuleRoutes(app: ZodApp, deps: Deps): Promise<void> {
  await identityRoutes(app, deps);
  await partnersRoutes(app, deps);
  await reengagementRoutes(app, deps);
  await accountsRoutes(app, deps);
  await notificationsRoutes(app, deps);
  await auditRoutes(app, deps);
  await frictionRoutes(app, deps);
  await scenariosRoutes(app, deps);
  await rulesRoutes(app, deps);
  await registrationsSummaryRoutes(app, deps);
  await registrationsRoutes(app, deps);
  await offersRoutes(app, deps);
  await conflictsRoutes(app, deps);
  await scorecardsRoutes(app, deps);
  await compPlansRoutes(app, deps);
  await rolloutRoutes(app, deps);
  await transactionsRoutes(app, deps);
  await runsRoutes(app, deps);
  await statementsRoutes(app, deps);
  await simulationRoutes(app, deps);
}
