import type { Deps } from '../deps.ts';
import { accountsRoutes } from '../modules/accounts/accounts.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { identityRoutes } from '../modules/identity/identity.routes.ts';
import { notificationsRoutes } from '../modules/notifications/notifications.routes.ts';
import { partnersRoutes } from '../modules/partners/partners.routes.ts';
import type { ZodApp } from './zod-app.ts';

/** Every module's routes, listed once. */
export async function registerModuleRoutes(app: ZodApp, deps: Deps): Promise<void> {
  await identityRoutes(app, deps);
  await partnersRoutes(app, deps);
  await accountsRoutes(app, deps);
  await notificationsRoutes(app, deps);
  await auditRoutes(app, deps);
}
