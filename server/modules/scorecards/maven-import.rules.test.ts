import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.ts';
import { countNotes, mavenNoteKinds, planMavenImport, productKey } from './maven-import.rules.ts';

const products = 'product,series,sales_price\nGTX Pro,GTX,4821\nMG Special,MG,55\n';
const accounts = 'account,sector\nAcme Corporation,technolgy\nBetatech,medical\n';
const teams = ['sales_agent,manager,regional_office', 'Ann,Mia,Central', 'Bob,Mia,Central', 'Cy,Lee,East', 'Ann,Lee,East', 'Dee,,West', 'Eve,Lee,East'].join(
  '\n',
);
const pipeline = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'O1,Ann,GTXPro,Acme Corporation,Won,2017-01-02,2017-02-01,4500', // line 2: product spelled together
  'O2,Bob,MG Special,,Engaging,2017-03-01,,', // line 3: no account (normal open deal otherwise)
  'O3,Zed,MG Special,Betatech,Lost,2017-01-05,2017-01-20,0', // line 4: agent not in the team list
  'O1,Ann,GTX Pro,Acme Corporation,Won,2017-01-02,2017-02-01,4500', // line 5: duplicate id
  'O4,Ann,GTX Pro,Acme Corporation,Closed,2017-01-02,2017-02-01,4500', // line 6: unknown stage
  'O5,Bob,GTX Pro,Acme Corporation,Won,2017-01-02,,', // line 7: won without close
  'O6,Bob,GTX Pro,Acme Corporation,Won,02/01/2017,2017-02-01,10', // line 8: bad date
  'O7,Bob,GTX Pro,Acme Corporation,Won,2017-01-02,2017-02-01,-5', // line 9: negative value
  'O8,Cy,Widget,Nowhere Inc,Lost,2017-03-01,2017-02-01,0', // line 10: unknown product and account, closed before engaged
  'O9,Cy,MG Special,,Prospecting,,,', // line 11: prospect, no account, no dates
  ',Cy,MG Special,Betatech,Won,2017-01-02,2017-02-01,5', // line 12: no id
].join('\n');

describe('the Maven CRM import plan', () => {
  const plan = planMavenImport({ salesTeams: teams, pipeline, products, accounts });

  it('imports or lists every row: nothing is dropped silently', () => {
    const rejectedPipelineLines = plan.notes.filter((n) => n.file === 'sales_pipeline.csv' && mavenNoteKinds[n.kind].outcome === 'rejected').map((n) => n.line);
    const importedLines = plan.opportunities.map((o) => o.line);
    expect(plan.pipelineRows).toBe(11);
    expect([...importedLines, ...rejectedPipelineLines].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(importedLines).toEqual([2, 3, 4, 10, 11]);
  });

  it('reports each irregular value with file, line and reason, and counts them per kind', () => {
    const at = (line: number, file = 'sales_pipeline.csv') =>
      plan.notes
        .filter((n) => n.line === line && n.file === file)
        .map((n) => n.kind)
        .sort();
    expect(at(2)).toEqual(['product_spelling']);
    expect(at(3)).toEqual(['missing_account']);
    expect(at(4)).toEqual(['unknown_agent']);
    expect(at(5)).toEqual(['duplicate_opportunity']);
    expect(at(6)).toEqual(['invalid_stage']);
    expect(at(7)).toEqual(['missing_close']);
    expect(at(8)).toEqual(['invalid_date']);
    expect(at(9)).toEqual(['invalid_value']);
    expect(at(10)).toEqual(['close_before_engage', 'unknown_account', 'unknown_product']);
    expect(at(11)).toEqual(['missing_account']);
    expect(at(12)).toEqual(['missing_id']);
    expect(at(5, 'sales_teams.csv')).toEqual(['duplicate_agent']);
    expect(at(6, 'sales_teams.csv')).toEqual(['invalid_team_row']);
    expect(at(7, 'sales_teams.csv')).toEqual(['agent_without_opportunities']);
    const counts = countNotes(plan.notes);
    expect(counts.missing_account).toBe(2);
    expect(counts.unknown_agent).toBe(1);
    expect(Object.keys(counts)).toEqual(Object.keys(mavenNoteKinds));
    expect(plan.notes.find((n) => n.line === 5 && n.file === 'sales_pipeline.csv')?.message).toBe('O1 was read on line 2');
  });

  it('normalises the product to the products.csv spelling and keeps values exact', () => {
    const o1 = plan.opportunities.find((o) => o.externalId === 'O1');
    expect(o1).toMatchObject({ product: 'GTX Pro', stage: 'won', valueMinor: 450_000, closeOn: '2017-02-01', sellerRef: 'maven-crm:agent:Ann' });
    expect(plan.opportunities.find((o) => o.externalId === 'O2')).toMatchObject({ accountName: null, closeOn: null, valueMinor: null, stage: 'engaging' });
    expect(productKey('GTXPro')).toBe(productKey('gtx pro'));
  });

  it('makes managers first, then agents with their manager, office and team, then agents only the pipeline names', () => {
    expect(plan.sellers.map((s) => s.externalRef)).toEqual([
      'maven-crm:manager:Mia',
      'maven-crm:manager:Lee',
      'maven-crm:agent:Ann',
      'maven-crm:agent:Bob',
      'maven-crm:agent:Cy',
      'maven-crm:agent:Eve',
      'maven-crm:agent:Zed',
    ]);
    expect(plan.sellers[2]).toEqual({
      externalRef: 'maven-crm:agent:Ann',
      displayName: 'Ann',
      managerRef: 'maven-crm:manager:Mia',
      team: 'Mia',
      unit: 'Central',
      territory: 'Central',
    });
    expect(plan.sellers[6]).toMatchObject({ managerRef: null, unit: null });
  });

  it('refuses a file without its columns, naming them', () => {
    try {
      planMavenImport({ salesTeams: 'agent,boss\nA,B', pipeline, products, accounts: null });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).message).toBe('sales_teams.csv lacks the column(s) sales_agent, manager, regional_office');
    }
  });
});
