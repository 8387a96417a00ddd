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
import type {
  ActivityTable,
  ActivityTypeTable,
  MetricDefinitionTable,
  OpportunityTable,
  ScorecardSnapshotRowTable,
  ScorecardSnapshotTable,
  ScorecardTable,
} from '../modules/scorecards/scorecards.table.ts';
import type { PartnerAttributeTable, PartnerTierRulesTable } from '../modules/scorecards/tier-compliance.table.ts';
import type { ScorecardTargetTable } from '../modules/scorecards/targets.table.ts';
import type {
  CommissionResultTable,
  CommissionRunProgressTable,
  CommissionRunTable,
  FxRateTable,
  SalesTransactionTable,
  TransactionImportChunkTable,
  TransactionImportTable,
} from '../modules/commissions/commissions.table.ts';
import type {
  CompParticipantTable,
  CompPlanApprovalTable,
  CompPlanAssignmentTable,
  CompPlanTable,
  CompPlanVersionTable,
  CompQuotaTable,
} from '../modules/comp-plans/comp-plans.table.ts';
import type { CompPlanRolloutTable, CompRolloutRecipientTable } from '../modules/comp-plans/rollout.table.ts';
import type { CompSimulationTable } from '../modules/commissions/simulation.table.ts';
import type {
  CommissionAdjustmentTable,
  CommissionPayoutApprovalTable,
  CommissionPeriodTable,
  CommissionPeriodVersionTable,
} from '../modules/commissions/close.table.ts';
import type { CommissionDisputeClaimTable, CommissionDisputeEventTable, CommissionDisputeTable } from '../modules/commissions/disputes.table.ts';

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
  opportunity: OpportunityTable;
  activityType: ActivityTypeTable;
  activity: ActivityTable;
  metricDefinition: MetricDefinitionTable;
  scorecard: ScorecardTable;
  scorecardSnapshot: ScorecardSnapshotTable;
  scorecardSnapshotRow: ScorecardSnapshotRowTable;
  partnerTierRules: PartnerTierRulesTable;
  partnerAttribute: PartnerAttributeTable;
  scorecardTarget: ScorecardTargetTable;
  compParticipant: CompParticipantTable;
  compPlan: CompPlanTable;
  compPlanVersion: CompPlanVersionTable;
  compPlanApproval: CompPlanApprovalTable;
  compPlanAssignment: CompPlanAssignmentTable;
  compQuota: CompQuotaTable;
  compPlanRollout: CompPlanRolloutTable;
  compRolloutRecipient: CompRolloutRecipientTable;
  compSimulation: CompSimulationTable;
  transactionImport: TransactionImportTable;
  transactionImportChunk: TransactionImportChunkTable;
  salesTransaction: SalesTransactionTable;
  fxRate: FxRateTable;
  commissionRun: CommissionRunTable;
  commissionRunProgress: CommissionRunProgressTable;
  commissionResult: CommissionResultTable;
  commissionPeriod: CommissionPeriodTable;
  commissionPeriodVersion: CommissionPeriodVersionTable;
  commissionAdjustment: CommissionAdjustmentTable;
  commissionPayoutApproval: CommissionPayoutApprovalTable;
  commissionDispute: CommissionDisputeTable;
  commissionDisputeClaim: CommissionDisputeClaimTable;
  commissionDisputeEvent: CommissionDisputeEventTable;
}
