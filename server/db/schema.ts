import type { AccountOwnershipTable, AccountTable } from '../modules/accounts/accounts.table.ts';
import type {
  DealOfferTable,
  DealRegistrationTable,
  PartnerReactivationTaskTable,
  RegistrationConflictTable,
  RegistrationEventTable,
  RuleAcknowledgementTable,
  RuleSetVersionTable,
  ScenarioTable,
} from '../modules/engagement/engagement.table.ts';
import type { AuditChainHeadTable, AuditEntryTable } from '../modules/audit/audit.table.ts';
import type { ApiTokenTable, AppUserTable, LoginFailureTable, SessionTable } from '../modules/identity/identity.table.ts';
import type { NotificationTable } from '../modules/notifications/notifications.table.ts';
import type { PartnerContactTable, PartnerTable } from '../modules/partners/partners.table.ts';
import type { AppLockTable, JobTable } from '../jobs/jobs.table.ts';

export interface AppSettingTable {
  key: string;
  value: string;
}

/** The whole database as Kysely sees it (camelCase; the CamelCasePlugin maps to snake_case). */
export interface DB {
  appSetting: AppSettingTable;
  appUser: AppUserTable;
  session: SessionTable;
  apiToken: ApiTokenTable;
  loginFailure: LoginFailureTable;
  partner: PartnerTable;
  partnerContact: PartnerContactTable;
  account: AccountTable;
  accountOwnership: AccountOwnershipTable;
  scenario: ScenarioTable;
  ruleSetVersion: RuleSetVersionTable;
  ruleAcknowledgement: RuleAcknowledgementTable;
  dealRegistration: DealRegistrationTable;
  registrationEvent: RegistrationEventTable;
  registrationConflict: RegistrationConflictTable;
  dealOffer: DealOfferTable;
  partnerReactivationTask: PartnerReactivationTaskTable;
  notification: NotificationTable;
  auditEntry: AuditEntryTable;
  auditChainHead: AuditChainHeadTable;
  job: JobTable;
  appLock: AppLockTable;
}
