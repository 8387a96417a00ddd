import type { z } from 'zod';
import type {
  createPartnerContactRequest,
  createPartnerRequest,
  PartnerContactView,
  PartnerView,
  updatePartnerContactRequest,
  updatePartnerRequest,
} from '../../../common/api/partners.ts';
import type { Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { canEditPartner, canManagePartners, canSeePartner } from './partners.policy.ts';
import * as repo from './partners.repository.ts';

function toView(row: repo.PartnerRow): PartnerView {
  return {
    id: row.partnerId,
    name: row.name,
    legalName: row.legalName,
    tier: row.tier,
    status: row.status,
    website: row.website,
    country: row.country,
    regions: row.regions,
    specialisations: row.specialisations,
    channelManagerUserId: row.channelManagerUserId,
    channelManagerName: row.channelManagerName,
    lastEngagementAt: row.lastEngagementAt ? new Date(row.lastEngagementAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

function contactView(row: repo.ContactRow): PartnerContactView {
  return {
    id: row.partnerContactId,
    partnerId: row.partnerId,
    name: row.name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    isExecutive: row.isExecutive,
  };
}

function auditable(v: PartnerView) {
  const { createdAt: _c, updatedAt: _u, lastEngagementAt: _l, channelManagerName: _n, ...rest } = v;
  return rest;
}

/** A partner's channel manager must be an active internal user with the channel manager role. */
async function checkChannelManager(trx: Trx, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  if (!(await repo.findChannelManager(trx, userId))) {
    throw invalid('body.channelManagerUserId', 'must be an active internal user with the channel manager role');
  }
}

/** The application's half of partner isolation; RLS is the other half. */
function visible(deps: Deps, actor: Actor, partnerId: string): boolean {
  return !deps.isolationChecks || canSeePartner(actor, partnerId);
}

export async function listPartners(deps: Deps, actor: Actor, f: Omit<repo.PartnerFilter, 'onlyPartnerId'>) {
  const onlyPartnerId = deps.isolationChecks && actor.kind === 'user' && actor.partnerId ? actor.partnerId : undefined;
  return inTransaction(deps, actor, async (trx) => {
    const r = await repo.searchPartners(trx, { ...f, onlyPartnerId });
    return { items: r.items.map(toView), total: r.total };
  });
}

export async function getPartner(deps: Deps, actor: Actor, partnerId: string): Promise<PartnerView> {
  if (!visible(deps, actor, partnerId)) throw notFound('Partner');
  return inTransaction(deps, actor, async (trx) => {
    const row = await repo.findPartner(trx, partnerId);
    if (!row) throw notFound('Partner');
    return toView(row);
  });
}

function nameTaken(name: string): AppError {
  return new AppError('conflict', `A partner named "${name}" already exists`, { issues: [{ path: 'body.name', message: 'is already taken' }] });
}

type DirectoryFields = 'regions' | 'specialisations' | 'channelManagerUserId';
export type NewPartner = Omit<z.output<typeof createPartnerRequest>, DirectoryFields> & Partial<Pick<z.output<typeof createPartnerRequest>, DirectoryFields>>;

export async function createPartner(deps: Deps, actor: Actor, input: NewPartner): Promise<PartnerView> {
  if (!canManagePartners(actor)) throw new AppError('forbidden', 'Only channel managers and administrators can add partners');
  const partnerId = newId();
  return inTransaction(deps, actor, async (trx) => {
    if (await repo.findPartnerByName(trx, input.name)) throw nameTaken(input.name);
    await checkChannelManager(trx, input.channelManagerUserId);
    await repo.insertPartner(trx, { partnerId, ...input });
    const row = await repo.findPartner(trx, partnerId);
    if (!row) throw notFound('Partner');
    const view = toView(row);
    await recordAudit(trx, deps, actor, { action: 'partner.create', entityType: 'partner', entityId: partnerId, partnerId, after: auditable(view) });
    return view;
  });
}

export async function updatePartner(deps: Deps, actor: Actor, partnerId: string, patch: z.output<typeof updatePartnerRequest>): Promise<PartnerView> {
  if (!visible(deps, actor, partnerId)) throw notFound('Partner');
  if (!canEditPartner(actor, partnerId) && canSeePartner(actor, partnerId)) throw new AppError('forbidden', 'You may not change this partner');
  // Partner admins keep their profile current; tier and status are the vendor's to set.
  if (actor.kind === 'user' && actor.partnerId !== null && (patch.tier !== undefined || patch.status !== undefined)) {
    throw new AppError('forbidden', 'Tier and status are set by the vendor');
  }
  if (actor.kind === 'user' && actor.partnerId !== null && patch.channelManagerUserId !== undefined) {
    throw new AppError('forbidden', 'The channel manager is assigned by the vendor');
  }
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findPartner(trx, partnerId);
    if (!before) throw notFound('Partner');
    if (patch.name && patch.name.toLowerCase() !== before.name.toLowerCase()) {
      const clash = await repo.findPartnerByName(trx, patch.name);
      if (clash) throw nameTaken(patch.name);
    }
    await checkChannelManager(trx, patch.channelManagerUserId);
    const changed = await repo.updatePartner(trx, partnerId, { ...patch, updatedAt: deps.clock.now() });
    if (changed === 0) throw notFound('Partner');
    const after = await repo.findPartner(trx, partnerId);
    if (!after) throw notFound('Partner');
    const view = toView(after);
    await recordAudit(trx, deps, actor, {
      action: 'partner.update',
      entityType: 'partner',
      entityId: partnerId,
      partnerId,
      before: auditable(toView(before)),
      after: auditable(view),
    });
    return view;
  });
}

export async function listPartnerContacts(deps: Deps, actor: Actor, partnerId: string): Promise<PartnerContactView[]> {
  if (!visible(deps, actor, partnerId)) throw notFound('Partner');
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.findPartner(trx, partnerId))) throw notFound('Partner');
    return (await repo.listContacts(trx, partnerId)).map(contactView);
  });
}

export async function addPartnerContact(
  deps: Deps,
  actor: Actor,
  partnerId: string,
  input: z.output<typeof createPartnerContactRequest>,
): Promise<PartnerContactView> {
  if (!visible(deps, actor, partnerId)) throw notFound('Partner');
  if (!canEditPartner(actor, partnerId) && canSeePartner(actor, partnerId)) throw new AppError('forbidden', 'You may not change this partner');
  const contactId = newId();
  return inTransaction(deps, actor, async (trx) => {
    if (!(await repo.findPartner(trx, partnerId))) throw notFound('Partner');
    await repo.insertContact(trx, { partnerContactId: contactId, partnerId, ...input });
    const row = await repo.findContact(trx, partnerId, contactId);
    if (!row) throw notFound('Contact');
    const view = contactView(row);
    await recordAudit(trx, deps, actor, { action: 'partner_contact.create', entityType: 'partner_contact', entityId: contactId, partnerId, after: view });
    return view;
  });
}

export async function updatePartnerContact(
  deps: Deps,
  actor: Actor,
  partnerId: string,
  contactId: string,
  patch: z.output<typeof updatePartnerContactRequest>,
): Promise<PartnerContactView> {
  if (!visible(deps, actor, partnerId)) throw notFound('Partner');
  if (!canEditPartner(actor, partnerId) && canSeePartner(actor, partnerId)) throw new AppError('forbidden', 'You may not change this partner');
  return inTransaction(deps, actor, async (trx) => {
    const before = await repo.findContact(trx, partnerId, contactId);
    if (!before) throw notFound('Contact');
    await repo.updateContact(trx, contactId, { ...patch, updatedAt: deps.clock.now() });
    const after = await repo.findContact(trx, partnerId, contactId);
    if (!after) throw notFound('Contact');
    const view = contactView(after);
    await recordAudit(trx, deps, actor, {
      action: 'partner_contact.update',
      entityType: 'partner_contact',
      entityId: contactId,
      partnerId,
      before: contactView(before),
      after: view,
    });
    return view;
  });
}
