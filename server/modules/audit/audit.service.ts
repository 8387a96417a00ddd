import type { AuditEntryView } from '../../../common/api/audit.ts';
import { actorLabel, hasRole, type Actor } from '../../actor.ts';
import { inTransaction, type Deps, type Trx } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';
import { systemActor } from '../../actor.ts';
import * as repo from './audit.repository.ts';
import { canonicalJsonBeforeSeq, entryHash, GENESIS_HASH, toJsonValue } from './audit.rules.ts';

export type AuditEvent = {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** The partner the entity belongs to, when it belongs to one. */
  partnerId?: string | null;
};

/**
 * Appends one entry to the hash chain with the caller's transaction: the entry exists exactly
 * when the change it describes does. The chain head row lock orders concurrent appends; it is taken
 * at COMMIT by a deferred trigger, which gives the entry its seq and hash (see appendEntry), so the
 * head is held only during the commit, and the entry is not readable before it.
 */
export async function recordAudit(trx: Trx, deps: Pick<Deps, 'clock'>, actor: Actor, event: AuditEvent): Promise<void> {
  const at = deps.clock.now();
  const fields = {
    at: at.toISOString(),
    actorUserId: actor.kind === 'user' ? actor.userId : null,
    actorLabel: actorLabel(actor),
    partnerId: event.partnerId ?? null,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    before: toJsonValue(event.before),
    after: toJsonValue(event.after),
    requestId: actor.requestId,
  };
  await repo.appendEntry(trx, { ...fields, at }, canonicalJsonBeforeSeq(fields));
}

function canReadAudit(actor: Actor): boolean {
  return actor.kind === 'system' || (actor.partnerId === null && hasRole(actor, 'admin', 'auditor'));
}

function toView(row: Awaited<ReturnType<typeof repo.findEntries>>[number]): AuditEntryView {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    actorUserId: row.actorUserId,
    actorLabel: row.actorLabel,
    partnerId: row.partnerId,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    hash: row.hash,
  };
}

export async function listAuditEntries(deps: Deps, actor: Actor, filter: repo.AuditFilter): Promise<AuditEntryView[]> {
  if (!canReadAudit(actor)) throw new AppError('forbidden', 'Only administrators and auditors can read the audit log');
  return inTransaction(deps, actor, async (trx) => (await repo.findEntries(trx, filter)).map(toView));
}

export type VerifyResult = { ok: boolean; entries: number; firstBrokenSeq: number | null; problem: string | null };

/** Recomputes the whole chain and compares it with what is stored, page by page. */
export async function verifyAuditChain(
  deps: Deps,
  actor: Actor = systemActor('audit-verify'),
  onProgress?: (done: number, total: number) => void,
): Promise<VerifyResult> {
  if (!canReadAudit(actor)) throw new AppError('forbidden', 'Only administrators and auditors can verify the audit log');
  return inTransaction(deps, actor, async (trx) => {
    const total = await repo.headSeq(trx);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const page = await repo.findEntriesAfter(trx, expectedSeq - 1, 5000);
      if (page.length === 0) break;
      for (const row of page) {
        if (row.seq !== expectedSeq) return { ok: false, entries: checked, firstBrokenSeq: expectedSeq, problem: `entry ${expectedSeq} is missing` };
        if (row.prevHash !== prevHash)
          return { ok: false, entries: checked, firstBrokenSeq: row.seq, problem: `entry ${row.seq} does not link to the entry before it` };
        const fields = { ...toView(row), prevHash: undefined, hash: undefined };
        const recomputed = entryHash(prevHash, {
          seq: fields.seq,
          at: fields.at,
          actorUserId: fields.actorUserId,
          actorLabel: fields.actorLabel,
          partnerId: fields.partnerId,
          action: fields.action,
          entityType: fields.entityType,
          entityId: fields.entityId,
          before: fields.before,
          after: fields.after,
          requestId: fields.requestId,
        });
        if (recomputed !== row.hash)
          return { ok: false, entries: checked, firstBrokenSeq: row.seq, problem: `entry ${row.seq} was altered: its hash does not match its content` };
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
      onProgress?.(checked, total);
    }
    if (checked !== total)
      return { ok: false, entries: checked, firstBrokenSeq: checked + 1, problem: `the chain head says ${total} entries but ${checked} were found` };
    return { ok: true, entries: checked, firstBrokenSeq: null, problem: null };
  });
}
