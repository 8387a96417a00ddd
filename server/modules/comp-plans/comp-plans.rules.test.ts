import { describe, expect, it } from 'vitest';
import { planDocument } from '../../../common/comp/plan.ts';
import { chainState, checkDocument, checkFile, diffPlans, nextStep, requiredSteps, selfApprovalProblem, versionIssues } from './comp-plans.rules.ts';
import { planDoc } from './comp-plans.test-support.ts';

const parse = (o: object) => planDocument.parse(o);

describe('the approval chain', () => {
  it('goes comp_admin, finance, then manager when one is needed', () => {
    expect(requiredSteps(false)).toEqual(['comp_admin', 'finance']);
    const req = requiredSteps(true);
    expect(nextStep(req, [])).toBe('comp_admin');
    const one = [{ step: 'comp_admin' as const, decision: 'approved' as const, decidedByUserId: 'a' }];
    expect(chainState(req, one)).toEqual([
      { step: 'comp_admin', state: 'done' },
      { step: 'finance', state: 'next' },
      { step: 'manager', state: 'waiting' },
    ]);
    expect(
      nextStep(req, [...one, { step: 'finance', decision: 'approved', decidedByUserId: 'b' }, { step: 'manager', decision: 'approved', decidedByUserId: 'c' }]),
    ).toBeNull();
  });

  it('refuses the author and a second step by the same person', () => {
    expect(selfApprovalProblem('u1', 'u1', [])).toMatch(/author/);
    expect(selfApprovalProblem('u2', 'u1', [{ step: 'comp_admin', decision: 'approved', decidedByUserId: 'u2' }])).toMatch(/already decided/);
    expect(selfApprovalProblem('u3', 'u1', [{ step: 'comp_admin', decision: 'approved', decidedByUserId: 'u2' }])).toBeNull();
  });
});

describe('validation paths', () => {
  it('puts document problems under document.', () => {
    const r = checkDocument({ ...planDoc(), currency: 'euro' });
    expect(r.issues.map((i) => i.path)).toEqual(['document.currency']);
    expect(checkFile('key: [', 'yaml').issues[0]).toMatchObject({ path: 'document', message: expect.stringMatching(/^line 1: not valid YAML/) });
  });

  it('checks the ceiling and the plan the version belongs to', () => {
    const plan = parse(planDoc({ key: 'k1' }));
    expect(versionIssues(plan, { key: 'k1', currency: 'EUR' }, null)).toEqual([]);
    expect(versionIssues(plan, { key: 'k1', currency: 'EUR' }, 2_500_000)).toEqual([]);
    expect(versionIssues(plan, { key: 'k2', currency: 'USD' }, 100).map((i) => i.path)).toEqual([
      'document.key',
      'document.currency',
      'document.periodCapMinor',
    ]);
  });
});

describe('diffPlans', () => {
  it('names components by key, and lists added, removed, changed and reordered ones', () => {
    const a = parse(planDoc({ key: 'k' }));
    const b = parse({
      ...planDoc({ key: 'k' }),
      name: 'Renamed',
      components: [
        { key: 'q1_spiff', name: 'Q1 SPIFF', kind: 'spiff', from: '2027-01-01', to: '2027-04-01', perDealMinor: 60_000, capMinor: 500_000 },
        {
          key: 'partner_sourced_kicker',
          name: 'Commission with a partner kicker',
          kind: 'commission',
          rateBps: 300,
          partnerSourcedMultiplierBps: 15_000,
          capMinor: 2_000_000,
          rateTable: [{ product: 'Road-150', rateBps: 400 }],
        },
      ],
    });
    expect(diffPlans(a, b).map((c) => c.text)).toEqual([
      'name: "Direct sellers 2027" -> "Renamed"',
      'components.partner_sourced_kicker.rateTable[0]: added {"product":"Road-150","scenario":null,"segment":null,"rateBps":400}',
      'components.partner_sourced_kicker.partnerSourcedMultiplierBps: 12000 -> 15000',
      'components.q1_spiff.perDealMinor: 50000 -> 60000',
      'components order: partner_sourced_kicker, q1_spiff -> q1_spiff, partner_sourced_kicker',
    ]);
    expect(diffPlans(a, a)).toEqual([]);
  });
});
