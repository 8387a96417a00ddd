import { describe, expect, it } from 'vitest';
import { emptyPriorState } from '../../../common/comp/engine-types.ts';
import { calculatePeriod, formatAmount } from '../../../common/comp/engine.ts';
import { planDocument, type PlanDocument, type PlanDocumentInput } from '../../../common/comp/plan.ts';
import { planDocumentHtml, planDocumentPdf } from './plan-document.render.ts';
import { renderPlanDocument, type DocumentInput } from './plan-document.rules.ts';
import { rolloutPlanDoc } from './rollout.test-support.ts';

const parse = (doc: PlanDocumentInput): PlanDocument => planDocument.parse(doc);

function input(overrides: Partial<DocumentInput> = {}, doc: PlanDocumentInput = rolloutPlanDoc()): DocumentInput {
  return {
    plan: parse(doc),
    version: {
      id: '00000000-0000-4000-8000-000000000001',
      planId: '00000000-0000-4000-8000-000000000002',
      version: 3,
      status: 'published',
      publishedAt: '2027-02-01T08:00:00.000Z',
    },
    participant: {
      id: '00000000-0000-4000-8000-000000000003',
      displayName: 'Sam Seller',
      externalRef: 'EMP-7',
      team: 'North',
      unit: null,
      territory: 'DACH',
      managerName: 'Mia Manager',
      activeFrom: null,
      activeTo: null,
    },
    assignment: { effectiveFrom: '2027-01-01', effectiveTo: null },
    quotas: [{ periodStart: '2027-01-01', periodEnd: '2027-04-01', amountMinor: 10_000_000, currency: 'EUR' }],
    today: '2027-02-01',
    ...overrides,
  };
}

/** The text drawn by a PDF's content streams (uncompressed): pdfkit writes standard-font text as hex strings in TJ arrays. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of raw.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    const hex = [...(m[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1] ?? '').join('');
    lines.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return lines.join('\n');
}

describe('the plan document of a participant', () => {
  it('states each component in plain words with its rates, tiers, caps and schedule', () => {
    const doc = renderPlanDocument(input());
    expect(doc.components.map((c) => c.kindLabel)).toEqual(['Commission', 'Tiered rates', 'Bonus']);
    const [commission, accelerator, bonus] = doc.components;
    expect(commission?.sentences).toContain(
      'You earn 3% of the value credited to you from your own deals, your share of split deals and the deals of the people who report to you.',
    );
    expect(commission?.sentences).toContain('Working with partners pays: credit from partner-sourced deals counts ×1.2.');
    expect(commission?.sentences).toContain('Cap: it pays at most 50,000.00 EUR per quarter.');
    expect(accelerator?.tables[0]?.rows).toEqual([
      ['0%', '100%', '0%'],
      ['100%', 'no upper limit', '2%'],
    ]);
    expect(bonus?.tables[0]?.rows.at(-1)).toEqual(['100%', '100%', '5,000.00 EUR']);
    expect(doc.overview.join(' ')).toContain('Your manager: Mia Manager.');
    expect(doc.terms.join(' ')).toMatch(/Clawback: when a deal you were paid for is refunded/);
    expect(doc.terms.join(' ')).toContain('Draw: this plan has no draw.');
  });

  it('gives examples at 50, 100 and 150 % of quota whose numbers are exactly the engine’s', () => {
    const doc = renderPlanDocument(input());
    const plan = parse(rolloutPlanDoc());
    expect(doc.examples?.period).toMatchObject({ start: '2027-01-01', end: '2027-04-01' });
    expect(doc.examples?.cases.map((c) => c.targetAttainmentBps)).toEqual([5_000, 10_000, 15_000]);
    for (const c of doc.examples?.cases ?? []) {
      // Built here independently: the participant's credit at that share of the quota, direct deals.
      const credit = (10_000_000 * c.targetAttainmentBps) / 10_000;
      const r = calculatePeriod(plan, {
        participantId: doc.participant.id,
        periodStart: '2027-01-01',
        periodEnd: '2027-04-01',
        quotaMinor: 10_000_000,
        activeFrom: '2027-01-01',
        activeTo: null,
        metrics: {},
        buckets: [
          { kind: 'direct', sourcing: 'direct', product: null, scenario: null, segment: null, clawback: false, spiffKeys: [], creditMinor: credit, deals: 1 },
        ],
        prior: emptyPriorState(),
      });
      expect(c.creditMinor).toBe(credit);
      expect(c.totalMinor).toBe(r.totalMinor);
      expect(c.attainmentBps).toBe(r.attainmentBps);
      expect(c.lines.map((l) => [l.componentName, l.amountMinor, l.explanation])).toEqual(r.lines.map((l) => [l.componentName, l.amountMinor, l.explanation]));
      expect(c.totalText).toBe(formatAmount(r.totalMinor, 'EUR'));
    }
    // 3 % of 150,000 = 4,500; 2 % of the 50,000 above quota = 1,000; the bonus 5,000.
    expect(doc.examples?.cases[2]?.totalMinor).toBe(450_000 + 100_000 + 500_000);
    expect(doc.examples?.cases[0]?.totalMinor).toBe(150_000);
  });

  it('prorates the quota of a participant who joins mid-period, and the examples use the prorated quota', () => {
    const doc = renderPlanDocument(input({ assignment: { effectiveFrom: '2027-02-15', effectiveTo: null } }));
    const q1 = doc.quota.periods[0];
    expect(q1).toMatchObject({ start: '2027-01-01', quotaMinor: 10_000_000 });
    // 45 of 90 days: half the quota.
    expect(q1?.proratedMinor).toBe(5_000_000);
    expect(doc.examples?.cases[1]).toMatchObject({ creditMinor: 5_000_000, attainmentBps: 10_000 });
    expect(doc.examples?.assumptions[0]).toContain('prorated from 100,000.00 EUR');
    expect(doc.quota.periods).toHaveLength(4);
    expect(doc.quota.periods[1]).toMatchObject({ quotaMinor: null, quotaText: 'not set' });
  });

  it('has no examples until a quota is set', () => {
    const doc = renderPlanDocument(input({ quotas: [] }));
    expect(doc.examples).toBeNull();
    expect(doc.examplesNote).toMatch(/once your quota is set/);
    expect(doc.quota.sentences).toContain('No quota is set for you for these periods yet.');
  });

  it('renders standalone, escaped HTML with the same content', () => {
    const doc = renderPlanDocument(input({ participant: { ...input().participant, displayName: 'Eve <script>alert(1)</script> & Co' } }));
    const html = planDocumentHtml(doc);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Eve &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).not.toMatch(/<link|src=|https?:\/\//);
    for (const c of doc.examples?.cases ?? []) expect(html).toContain(c.totalText);
    expect(html).toContain('@media print');
  });

  it('renders a PDF that starts with %PDF and draws the participant’s name and the example totals', async () => {
    const doc = renderPlanDocument(input());
    const pdf = await planDocumentPdf(doc, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Sam Seller');
    expect(text).toContain('Field sellers 2027');
    for (const c of doc.examples?.cases ?? []) expect(text).toContain(c.totalText);
    const compressed = await planDocumentPdf(doc);
    expect(compressed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(compressed.length).toBeLessThan(pdf.length);
  });

  it('describes every kind of component, and renders them all as HTML and PDF', async () => {
    const plan = rolloutPlanDoc({
      payoutPeriod: 'month',
      clawback: { policy: 'within_days', withinDays: 90 },
      periodCapMinor: 3_000_000,
      components: [
        {
          key: 'by_product',
          name: 'Commission by product',
          kind: 'commission',
          rateBps: 200,
          rateTable: [{ product: 'Road-150', rateBps: 400 }],
          attainmentMultipliers: [
            { fromBps: 0, multiplierBps: 10_000 },
            { fromBps: 12_000, multiplierBps: 12_500 },
          ],
          gate: { minAttainmentBps: 5_000, metrics: [] },
          capMinor: 1_000_000,
        },
        {
          key: 'retro',
          name: 'Retroactive accelerator',
          kind: 'tiered',
          mode: 'retroactive',
          window: 'year_to_date',
          baseRateBps: 100,
          tiers: [
            { fromBps: 0, toBps: 10_000, rateBps: 10_000 },
            { fromBps: 10_000, toBps: null, rateBps: 15_000 },
          ],
          capMinor: 500_000,
        },
        {
          key: 'sla',
          name: 'Partner SLA',
          kind: 'accountability',
          metric: 'registrations_answered_within_sla_pct',
          target: 95,
          targetIncentiveMinor: 100_000,
          thresholdBps: 8_000,
        },
        {
          key: 'spring',
          name: 'Spring SPIFF',
          kind: 'spiff',
          from: '2027-03-01',
          to: '2027-06-01',
          perDealMinor: 25_000,
          minDealValueMinor: 1_000_000,
          capMinor: 100_000,
        },
        { key: 'ramp', name: 'Ramp draw', kind: 'draw', amountMinor: 200_000, recoverable: true, guaranteePeriods: 2, recoveryBps: 5_000 },
      ],
    });
    const doc = renderPlanDocument(
      input({ quotas: [{ periodStart: '2027-01-01', periodEnd: '2028-01-01', amountMinor: 120_000_000, currency: 'EUR' }] }, plan),
    );
    expect(doc.components.map((c) => c.kindLabel)).toEqual(['Commission', 'Tiered rates', 'Accountability', 'SPIFF', 'Draw']);
    expect(doc.components[0]?.tables.map((t) => t.caption)).toEqual(['Commission by product: rates', 'Commission by product: multipliers by attainment']);
    expect(doc.components[0]?.sentences).toContain('Gate: it pays only in payout periods where your attainment reaches 50% of quota.');
    expect(doc.components[3]?.sentences[0]).toBe(
      'From 1 March 2027 to 31 May 2027: 250.00 EUR per deal on the value credited to you from your own deals, your share of split deals and the deals of the people who report to you.',
    );
    expect(doc.components[4]?.sentences.join(' ')).toContain('Your first 2 months on the plan are guaranteed');
    expect(doc.terms.join(' ')).toContain('within 90 days of the sale');
    // A year of months; February's quota is its share of the annual one, and the example is February's.
    expect(doc.quota.periods).toHaveLength(12);
    expect(doc.quota.periods[1]).toMatchObject({ start: '2027-02-01', quotaMinor: 10_000_000 });
    expect(doc.examples?.period.start).toBe('2027-02-01');
    expect(doc.examples?.assumptions.join(' ')).toMatch(/SPIFFs are left out.*Accountabilities are met exactly at their target.*first payout period/);
    const parsed = parse(plan);
    for (const c of doc.examples?.cases ?? []) {
      const r = calculatePeriod(parsed, {
        participantId: doc.participant.id,
        periodStart: '2027-02-01',
        periodEnd: '2027-03-01',
        quotaMinor: 10_000_000,
        activeFrom: '2027-01-01',
        activeTo: null,
        metrics: { registrations_answered_within_sla_pct: 95 },
        buckets: [
          {
            kind: 'direct',
            sourcing: 'direct',
            product: null,
            scenario: null,
            segment: null,
            clawback: false,
            spiffKeys: [],
            creditMinor: c.creditMinor,
            deals: 1,
          },
        ],
        prior: emptyPriorState(),
      });
      expect(c.totalMinor).toBe(r.totalMinor);
    }
    expect(planDocumentHtml(doc)).toContain('Ramp draw');
    const pdf = await planDocumentPdf(doc, { compress: false });
    expect(pdfText(pdf)).toContain('Retroactive accelerator');
  });
});
