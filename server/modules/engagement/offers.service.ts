import type { z } from 'zod';
import type { acceptOfferRequest, CreateOfferInput, OfferListQuery, OfferView } from '../../../common/api/engagement-offers.ts';
import { dateOf } from '../../../common/dates.ts';
import { systemActor, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { normaliseDomain } from '../accounts/accounts.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from '../notifications/notifications.service.ts';
import * as repo from './offers.repository.ts';
import { canRegisterDeals, isChannelStaff, isPartnerUser } from './registrations.policy.ts';
import { findScenarioByKey } from './registrations.repository.ts';
import { registerFromOffer } from './registrations.service.ts';

function toView(row: repo.OfferRow, actor: Actor): OfferView {
  const partnerFacing = isPartnerUser(actor);
  return {
    id: row.dealOfferId,
    partnerId: row.partnerId,
    partnerName: row.partnerName,
    scenario: { id: row.scenarioId, key: row.scenarioKey, name: row.scenarioName },
    endCustomerName: row.endCustomerName,
    endCustomerDomain: row.endCustomerDomain,
    endCustomerCountry: row.endCustomerCountry,
    valueMinor: row.valueMinor,
    currency: row.currency,
    expectedCloseOn: row.expectedCloseOn,
    description: row.description,
    status: row.status,
    respondBy: row.respondBy,
    respondedAt: row.respondedAt ? new Date(row.respondedAt).toISOString() : null,
    responseNote: row.responseNote,
    registrationId: row.dealRegistrationId,
    registrationReference: row.registrationReference,
    offeredByName: partnerFacing ? null : row.offeredByName,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Partner users see their own organisation's offers; channel staff see all; anyone else none. */
function canSeeOffer(actor: Actor, partnerId: string): boolean {
  return isChannelStaff(actor) || (actor.kind === 'user' && actor.partnerId === partnerId);
}

async function loadVisible(trx: Trx, deps: Deps, actor: Actor, id: string): Promise<repo.OfferRow> {
  const row = await repo.findOffer(trx, id);
  if (!row || (deps.isolationChecks && !canSeeOffer(actor, row.partnerId))) throw notFound('Offer');
  return row;
}

function auditable(v: OfferView) {
  return {
    partnerId: v.partnerId,
    scenario: v.scenario.key,
    endCustomerName: v.endCustomerName,
    valueMinor: v.valueMinor,
    currency: v.currency,
    status: v.status,
    respondBy: v.respondBy,
    registrationId: v.registrationId,
  };
}

export async function listOffers(deps: Deps, actor: Actor, q: OfferListQuery): Promise<{ items: OfferView[]; total: number }> {
  const partnerScoped = isPartnerUser(actor);
  // Internal users who are not channel staff have no offers to see: the same empty page RLS would give a stranger.
  if (!partnerScoped && !isChannelStaff(actor)) return { items: [], total: 0 };
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.searchOffers(trx, {
      onlyPartnerId: partnerScoped && deps.isolationChecks && actor.kind === 'user' ? (actor.partnerId ?? undefined) : undefined,
      partnerId: partnerScoped ? undefined : q.partnerId,
      status: q.status,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: r.items.map((row) => toView(row, actor)), total: r.total };
  });
}

export async function getOffer(deps: Deps, actor: Actor, id: string): Promise<OfferView> {
  return inTransaction(deps, actor, async (trx) => toView(await loadVisible(trx, deps, actor, id), actor));
}

/** A channel manager pushes an opportunity to a partner's deal inbox. */
export async function pushOffer(deps: Deps, actor: Actor, input: CreateOfferInput): Promise<OfferView> {
  if (!isChannelStaff(actor)) throw new AppError('forbidden', 'Only channel managers, programme leads and administrators push offers to partners');
  const now = deps.clock.now();
  if (input.respondBy < dateOf(now)) throw invalid('body.respondBy', 'must be today or later');
  let domain: string | null = null;
  if (input.endCustomerDomain !== null) {
    domain = normaliseDomain(input.endCustomerDomain);
    if (domain === null) throw invalid('body.endCustomerDomain', 'must be a web domain such as example.com');
  }
  const id = newId();
  return inTransaction(deps, actor, async (trx) => {
    const partner = await trx.selectFrom('partner').select(['partnerId', 'name', 'status']).where('partnerId', '=', input.partnerId).executeTakeFirst();
    if (!partner) throw invalid('body.partnerId', 'refers to a partner that does not exist');
    if (partner.status !== 'active') throw invalid('body.partnerId', `the partner is ${partner.status}`);
    const scenario = await findScenarioByKey(trx, input.scenario);
    if (!scenario || !scenario.active) throw invalid('body.scenario', 'is not an active scenario');
    await repo.insertOffer(trx, {
      dealOfferId: id,
      partnerId: input.partnerId,
      offeredByUserId: actor.kind === 'user' ? actor.userId : null,
      scenarioId: scenario.scenarioId,
      endCustomerName: input.endCustomerName,
      endCustomerDomain: domain,
      endCustomerCountry: input.endCustomerCountry,
      accountId: null,
      valueMinor: input.valueMinor,
      currency: input.currency,
      expectedCloseOn: input.expectedCloseOn,
      description: input.description,
      respondBy: input.respondBy,
      respondedAt: null,
      responseNote: null,
      dealRegistrationId: null,
      createdAt: now,
      updatedAt: now,
    });
    for (const userId of await repo.partnerUserIds(trx, input.partnerId)) {
      await notify(trx, {
        userId,
        partnerId: input.partnerId,
        kind: 'offer.received',
        title: `New opportunity in your deal inbox: ${input.endCustomerName} (${scenario.name})`,
        body: `Please accept or decline by ${input.respondBy}.`,
        link: '/registrations/inbox',
      });
    }
    const row = await loadVisible(trx, deps, actor, id);
    const view = toView(row, actor);
    await recordAudit(trx, deps, actor, { action: 'offer.push', entityType: 'deal_offer', entityId: id, partnerId: input.partnerId, after: auditable(view) });
    return view;
  });
}

async function lockOpenOffer(trx: Trx, deps: Deps, actor: Actor, id: string) {
  await loadVisible(trx, deps, actor, id);
  const row = await repo.lockOffer(trx, id);
  if (!row) throw notFound('Offer');
  if (!(actor.kind === 'user' && actor.partnerId === row.partnerId && canRegisterDeals(actor)))
    throw new AppError('forbidden', 'Only the partner the offer was made to answers it');
  if (row.status !== 'offered') throw new AppError('conflict', `The offer was already ${row.status}`);
  if (row.respondBy < dateOf(deps.clock.now())) throw new AppError('conflict', `The offer expired: it had to be answered by ${row.respondBy}`);
  return row;
}

/** The partner accepts: the deal is registered and submitted through the ordinary path. */
export async function acceptOffer(deps: Deps, actor: Actor, id: string, input: z.output<typeof acceptOfferRequest>): Promise<OfferView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockOpenOffer(trx, deps, actor, id);
    if (actor.kind !== 'user' || actor.partnerId === null) throw notFound('Offer');
    const scenario = await trx.selectFrom('scenario').select('key').where('scenarioId', '=', row.scenarioId).executeTakeFirstOrThrow();
    const reg = await registerFromOffer(
      trx,
      deps,
      { ...actor, partnerId: actor.partnerId },
      {
        scenario: scenario.key,
        endCustomerName: row.endCustomerName,
        endCustomerDomain: row.endCustomerDomain,
        endCustomerCountry: row.endCustomerCountry,
        endCustomerTaxId: input.endCustomerTaxId ?? null,
        productLine: input.productLine ?? null,
        region: input.region ?? null,
        valueMinor: row.valueMinor,
        currency: row.currency,
        expectedCloseOn: row.expectedCloseOn,
        description: row.description,
        submit: true,
      },
    );
    const now = deps.clock.now();
    await repo.updateOffer(trx, id, { status: 'accepted', respondedAt: now, responseNote: input.note ?? null, dealRegistrationId: reg.id, updatedAt: now });
    if (row.offeredByUserId)
      await notify(trx, {
        userId: row.offeredByUserId,
        partnerId: row.partnerId,
        kind: 'offer.accepted',
        title: `Offer accepted: ${row.endCustomerName} is now ${reg.reference}`,
        body: input.note ?? '',
        link: `/engagement/registrations/${reg.id}`,
      });
    const view = toView(await loadVisible(trx, deps, actor, id), actor);
    await recordAudit(trx, deps, actor, {
      action: 'offer.accept',
      entityType: 'deal_offer',
      entityId: id,
      partnerId: row.partnerId,
      before: { status: 'offered' },
      after: { ...auditable(view), registrationReference: reg.reference },
    });
    return view;
  });
}

export async function declineOffer(deps: Deps, actor: Actor, id: string, note: string): Promise<OfferView> {
  return inTransaction(deps, actor, async (trx) => {
    const row = await lockOpenOffer(trx, deps, actor, id);
    const now = deps.clock.now();
    await repo.updateOffer(trx, id, { status: 'declined', respondedAt: now, responseNote: note, updatedAt: now });
    if (row.offeredByUserId)
      await notify(trx, {
        userId: row.offeredByUserId,
        partnerId: row.partnerId,
        kind: 'offer.declined',
        title: `Offer declined: ${row.endCustomerName}`,
        body: note,
        link: '/engagement/offers',
      });
    const view = toView(await loadVisible(trx, deps, actor, id), actor);
    await recordAudit(trx, deps, actor, {
      action: 'offer.decline',
      entityType: 'deal_offer',
      entityId: id,
      partnerId: row.partnerId,
      before: { status: 'offered' },
      after: { status: 'declined', note },
    });
    return view;
  });
}

/** Offers left unanswered past their respond-by day expire (the daily job). */
export async function expireOffers(deps: Deps, batch = 200): Promise<number> {
  const actor = systemActor('offer-expiry');
  let total = 0;
  for (;;) {
    const n = await inTransaction(deps, actor, async (trx) => {
      const now = deps.clock.now();
      const rows = await repo.lockExpiredOffers(trx, dateOf(now), batch);
      for (const row of rows) {
        await repo.updateOffer(trx, row.dealOfferId, { status: 'expired', updatedAt: now });
        await recordAudit(trx, deps, actor, {
          action: 'offer.expire',
          entityType: 'deal_offer',
          entityId: row.dealOfferId,
          partnerId: row.partnerId,
          before: { status: 'offered', respondBy: row.respondBy },
          after: { status: 'expired' },
        });
      }
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
