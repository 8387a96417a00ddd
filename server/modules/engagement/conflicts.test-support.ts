import { sql } from 'kysely';
import { systemActor } from '../../actor.ts';
import { inTransaction, type Deps } from '../../deps.ts';
import type { RegistrationStatus } from './engagement.table.ts';
import { newId } from '../../lib/ids.ts';
import { normaliseAccountName } from '../accounts/accounts.service.ts';

/**
 * Test-only: writes deal registrations straight into the table so conflict tests do not depend on
 * the registration use-cases. Imported by *.test.ts files only.
 */
export async function scenarioIdOf(deps: Deps, key: string): Promise<string> {
  return inTransaction(deps, systemActor('test'), async (trx) => {
    const row = await trx.selectFrom('scenario').select('scenarioId').where('key', '=', key).executeTakeFirstOrThrow();
    return row.scenarioId;
  });
}

export type TestRegistration = {
  partnerId: string;
  scenarioId: string;
  customer: string;
  status?: RegistrationStatus;
  domain?: string | null;
  taxId?: string | null;
  accountId?: string | null;
  productLine?: string | null;
  country?: string | null;
  valueMinor?: number;
  protectionEndsOn?: string | null;
  submittedAt?: Date;
  submittedByUserId?: string | null;
  inConflict?: boolean;
};

export async function insertTestRegistration(deps: Deps, r: TestRegistration): Promise<string> {
  const id = newId();
  const status = r.status ?? 'submitted';
  const submittedAt = r.submittedAt ?? deps.clock.now();
  await inTransaction(deps, systemActor('test'), async (trx) => {
    const seq = await sql<{ n: string }>`select nextval('deal_registration_reference_seq') as n`.execute(trx);
    await trx
      .insertInto('dealRegistration')
      .values({
        dealRegistrationId: id,
        reference: `REG-${String(seq.rows[0]?.n ?? '0').padStart(6, '0')}`,
        partnerId: r.partnerId,
        submittedByUserId: r.submittedByUserId ?? null,
        clientReference: null,
        status,
        source: 'partner',
        scenarioId: r.scenarioId,
        productLine: r.productLine ?? null,
        region: null,
        endCustomerName: r.customer,
        endCustomerNormalisedName: normaliseAccountName(r.customer),
        endCustomerDomain: r.domain ?? null,
        endCustomerCountry: r.country ?? null,
        endCustomerTaxId: r.taxId ?? null,
        accountId: r.accountId ?? null,
        valueMinor: r.valueMinor ?? 1_000_000,
        currency: 'EUR',
        expectedCloseOn: null,
        description: null,
        ruleSetVersionId: null,
        routeId: null,
        owningUnit: null,
        reviewerUserId: null,
        escalationUserId: null,
        submittedAt: status === 'draft' ? null : submittedAt,
        slaDueAt: null,
        slaBreachedAt: null,
        firstResponseAt: null,
        decidedAt: status === 'approved' ? submittedAt : null,
        decisionReason: null,
        protectionEndsOn: status === 'approved' ? (r.protectionEndsOn ?? '2099-01-01') : (r.protectionEndsOn ?? null),
        inConflict: r.inConflict ?? false,
        closedAt: null,
        createdAt: submittedAt,
        updatedAt: submittedAt,
      })
      .execute();
  });
  return id;
}
