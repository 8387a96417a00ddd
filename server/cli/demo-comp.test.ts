import { describe, expect, it } from 'vitest';
import { parsePlanFile } from '../../common/comp/plan-file.ts';
import { parseSellerSplits } from '../../common/comp/transaction-row.ts';
import { compPlan, examplePlan, historyYearOf } from './demo-comp.ts';
import { DEMO_SEED, demoPlan, mulberry32 } from './demo.ts';

// The loaded story is checked in demo.test.ts (one load); these are the pure parts.
const now = Date.UTC(2026, 10, 27, 12);

describe('demo compensation plan', () => {
  it('is the same for the same demo, seed and moment', () => {
    const plan = demoPlan(1);
    expect(compPlan(plan, mulberry32(DEMO_SEED + 4), now)).toEqual(compPlan(plan, mulberry32(DEMO_SEED + 4), now));
  });

  it('takes this year as history once half of it is past, else last year', () => {
    expect(historyYearOf(new Date(now))).toBe(2026);
    expect(historyYearOf(new Date(Date.UTC(2027, 2, 15)))).toBe(2026);
    expect(historyYearOf(new Date(Date.UTC(2027, 6, 1)))).toBe(2027);
  });

  it('makes every seller and manager a participant with their login, and scales with the demo', () => {
    const plan = demoPlan(1);
    const p = compPlan(plan, mulberry32(DEMO_SEED + 4), now);
    const logins = plan.internalUsers.filter((u) => /^(mgr|seller)\d+@/.test(u.email)).map((u) => u.email);
    expect(p.participants.flatMap((x) => (x.login ? [x.login] : [])).sort()).toEqual(logins.sort());
    expect(p.participants.some((x) => x.login === null)).toBe(true);
    expect(new Set(p.participants.map((x) => x.ref)).size).toBe(p.participants.length);
    const refs = new Set(p.participants.map((x) => x.ref));
    expect(p.participants.every((x) => x.managerRef === null || refs.has(x.managerRef))).toBe(true);
    const three = compPlan(demoPlan(3), mulberry32(DEMO_SEED + 4), now);
    expect(three.participants).toHaveLength(3 * p.participants.length);
    const rows = (q: typeof p) => q.imports.reduce((n, i) => n + i.rows.length, 0);
    expect(rows(three)).toBeGreaterThan(2.5 * rows(p));
  });

  it('books the history year up to the last import before the simulation, in monthly batches', () => {
    const p = compPlan(demoPlan(1), mulberry32(DEMO_SEED + 4), now);
    expect(p.historyYear).toBe(2026);
    expect(p.historyEnd).toBe('2026-11-01');
    expect(p.imports.map((i) => i.batchId)).toEqual(Array.from({ length: 10 }, (_, m) => `helion-erp-bookings-2026-${String(m + 1).padStart(2, '0')}`));
    const refs = new Set(p.participants.map((x) => x.ref));
    const ids = new Set<string>();
    for (const imp of p.imports) {
      expect(imp.at).toBeLessThan(p.times.simulate);
      for (const r of imp.rows) {
        expect(ids.has(r.transaction_id)).toBe(false);
        ids.add(r.transaction_id);
        expect(r.recognised_on >= '2026-01-01' && r.recognised_on < p.historyEnd).toBe(true);
        expect(r.recognised_on.slice(0, 7)).toBe(imp.batchId.slice(-7));
        const sellers = parseSellerSplits(r.sellers);
        expect(typeof sellers).not.toBe('string');
        if (typeof sellers !== 'string') expect(sellers.every((s) => refs.has(s.ref))).toBe(true);
        if (r.kind === 'credit_note') expect((r.original_recognised_on ?? '') < r.recognised_on).toBe(true);
        if (r.sourcing !== 'direct') expect(r.partner).toBeTruthy();
      }
    }
    expect(p.creditNotes).toBeGreaterThan(0);
  });

  it('leaves the new rollout mid-way: seller1 has not answered, one participant disputes', () => {
    const p = compPlan(demoPlan(1), mulberry32(DEMO_SEED + 4), now);
    const seller1 = p.participants.find((x) => x.login === 'seller1@helion.example');
    expect(p.newAnswers.some((a) => a.ref === seller1?.ref)).toBe(false);
    expect(p.newAnswers.filter((a) => a.action === 'dispute')).toHaveLength(1);
    expect(p.newAnswers.every((a) => a.at > p.times.newPublish && a.at < now)).toBe(true);
    expect(p.times.newPlan < p.times.simulate && p.times.simulate < p.times.newSubmit && p.times.newSubmit < p.times.newPublish).toBe(true);
  });

  it('moves the docs example plans to the demo years', async () => {
    const old = parsePlanFile(await examplePlan('renewal-centred-2026.yaml', 2030), 'yaml');
    const next = parsePlanFile(await examplePlan('channel-friendly-2027.yaml', 2030), 'yaml');
    if (!('plan' in old) || !('plan' in next)) throw new Error(JSON.stringify({ old, next }));
    expect([old.plan.key, old.plan.effectiveFrom, old.plan.effectiveTo]).toEqual(['renewal_centred_2030', '2030-01-01', '2031-01-01']);
    expect([next.plan.key, next.plan.effectiveFrom]).toEqual(['channel_friendly_2031', '2031-01-01']);
    expect(JSON.stringify(next.plan)).not.toMatch(/202[67]/);
  });
});
