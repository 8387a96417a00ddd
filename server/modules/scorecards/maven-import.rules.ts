import { parse } from 'csv-parse/sync';
import { isIsoDate } from '../../../common/dates.ts';
import { parseMajorAmount } from '../../../common/money.ts';
import type { OpportunityStage } from '../../../common/scorecards/metric.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * The Maven Analytics "CRM + Sales + Opportunities" files (shared/data/maven-crm-sales-opportunities)
 * read into sellers and opportunities, with every irregular value reported: a source row is either
 * imported or listed as rejected, and every value the importer had to interpret (a product spelled
 * another way, an opportunity with no account, an agent missing from the team list) is listed with
 * its file, line and reason. Pure: the files arrive as text, nothing is written here.
 *
 * Mapping: sales_teams.csv gives each agent its manager and regional office; the office is the
 * seller's unit and territory, and the team is named after its manager. close_value is whole US
 * dollars (the source gives no currency; the publisher's company is US-based) -> minor units x 100.
 */

export const MAVEN_SOURCE = 'maven-crm';
export const MAVEN_CURRENCY = 'USD';
export const mavenFiles = { salesTeams: 'sales_teams.csv', pipeline: 'sales_pipeline.csv', products: 'products.csv', accounts: 'accounts.csv' } as const;

/** What the importer reports, by kind. `imported` kinds are notes on rows that were kept; `rejected` kinds drop the row. */
export const mavenNoteKinds = {
  product_spelling: { outcome: 'imported', label: 'Product spelled differently from products.csv (normalised)' },
  unknown_product: { outcome: 'imported', label: 'Product not in products.csv (kept as written)' },
  missing_account: { outcome: 'imported', label: 'Opportunity with no account (kept, account empty)' },
  unknown_account: { outcome: 'imported', label: 'Account not in accounts.csv (kept as written)' },
  unknown_agent: { outcome: 'imported', label: 'Sales agent not in sales_teams.csv (seller created without manager or office)' },
  close_before_engage: { outcome: 'imported', label: 'Close date before the engage date (kept)' },
  agent_without_opportunities: { outcome: 'imported', label: 'Agent in sales_teams.csv with no opportunity (seller created)' },
  duplicate_agent: { outcome: 'rejected', label: 'Agent listed twice in sales_teams.csv (the first line is used)' },
  invalid_team_row: { outcome: 'rejected', label: 'sales_teams.csv row without agent, manager or office' },
  missing_id: { outcome: 'rejected', label: 'Opportunity without an id' },
  duplicate_opportunity: { outcome: 'rejected', label: 'Opportunity id seen before in the file (the first line is used)' },
  missing_agent: { outcome: 'rejected', label: 'Opportunity without a sales agent' },
  invalid_stage: { outcome: 'rejected', label: 'Unknown deal stage' },
  invalid_date: { outcome: 'rejected', label: 'Date not written YYYY-MM-DD' },
  invalid_value: { outcome: 'rejected', label: 'Close value not a non-negative amount' },
  missing_close: { outcome: 'rejected', label: 'Won or lost without close date or close value' },
} as const;
export type MavenNoteKind = keyof typeof mavenNoteKinds;

export type MavenNote = { file: string; line: number; kind: MavenNoteKind; message: string };

export type MavenSeller = {
  externalRef: string;
  displayName: string;
  managerRef: string | null;
  team: string | null;
  unit: string | null;
  territory: string | null;
};

export type MavenOpportunity = {
  externalId: string;
  line: number;
  sellerRef: string;
  accountName: string | null;
  product: string | null;
  stage: OpportunityStage;
  engageOn: string | null;
  closeOn: string | null;
  valueMinor: number | null;
};

export type MavenPlan = {
  /** Managers first, then agents: a manager exists before the sellers who report to them. */
  sellers: MavenSeller[];
  opportunities: MavenOpportunity[];
  notes: MavenNote[];
  pipelineRows: number;
  teamRows: number;
};

export type MavenTexts = { salesTeams: string; pipeline: string; products: string; accounts: string | null };

export const agentRef = (name: string) => `${MAVEN_SOURCE}:agent:${name}`;
export const managerRef = (name: string) => `${MAVEN_SOURCE}:manager:${name}`;

type Table = { file: string; header: string[]; rows: { line: number; cell(name: string): string }[] };

function readTable(file: string, text: string, required: readonly string[]): Table {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    throw new AppError('validation_failed', `${file} is not valid CSV: ${e instanceof Error ? e.message : String(e)}`, {
      issues: [{ path: file, message: 'not valid CSV' }],
    });
  }
  const [head, ...body] = records;
  const header = (head?.record ?? []).map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length)
    throw new AppError('validation_failed', `${file} lacks the column(s) ${missing.join(', ')}`, {
      issues: missing.map((c) => ({ path: `${file}, line 1, column ${c}`, message: 'is required' })),
    });
  return {
    file,
    header,
    rows: body.map(({ record, info }) => ({
      line: info.lines,
      cell: (name: string) => (record[header.indexOf(name)] ?? '').trim(),
    })),
  };
}

/** The key two spellings of one product share: letters and digits only, any case ("GTXPro" = "GTX Pro"). */
export function productKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const stages: Record<string, OpportunityStage> = { prospecting: 'prospecting', engaging: 'engaging', won: 'won', lost: 'lost' };

export function planMavenImport(texts: MavenTexts): MavenPlan {
  const notes: MavenNote[] = [];
  const note = (file: string, line: number, kind: MavenNoteKind, message: string) => notes.push({ file, line, kind, message });

  const products = readTable(mavenFiles.products, texts.products, ['product']);
  const productByKey = new Map<string, string>();
  for (const r of products.rows) if (r.cell('product')) productByKey.set(productKey(r.cell('product')), r.cell('product'));

  const accounts = texts.accounts === null ? null : readTable(mavenFiles.accounts, texts.accounts, ['account']);
  const accountNames = accounts ? new Set(accounts.rows.map((r) => r.cell('account')).filter(Boolean)) : null;

  // Sellers: one manager participant per manager name, one seller per agent.
  const teams = readTable(mavenFiles.salesTeams, texts.salesTeams, ['sales_agent', 'manager', 'regional_office']);
  const managers = new Map<string, MavenSeller>();
  const agents = new Map<string, { seller: MavenSeller; line: number }>();
  for (const r of teams.rows) {
    const [agent, manager, office] = [r.cell('sales_agent'), r.cell('manager'), r.cell('regional_office')];
    if (!agent || !manager || !office) {
      note(teams.file, r.line, 'invalid_team_row', `agent "${agent}", manager "${manager}", office "${office}": all three are needed`);
      continue;
    }
    const seen = agents.get(agent);
    if (seen) {
      note(teams.file, r.line, 'duplicate_agent', `${agent} is listed on line ${seen.line} already`);
      continue;
    }
    if (!managers.has(manager))
      managers.set(manager, { externalRef: managerRef(manager), displayName: manager, managerRef: null, team: manager, unit: office, territory: office });
    agents.set(agent, {
      seller: { externalRef: agentRef(agent), displayName: agent, managerRef: managerRef(manager), team: manager, unit: office, territory: office },
      line: r.line,
    });
  }

  const pipeline = readTable(mavenFiles.pipeline, texts.pipeline, [
    'opportunity_id',
    'sales_agent',
    'product',
    'account',
    'deal_stage',
    'engage_date',
    'close_date',
    'close_value',
  ]);
  const opportunities: MavenOpportunity[] = [];
  const seenIds = new Map<string, number>();
  const unknownAgents = new Map<string, MavenSeller>();
  const agentsWithDeals = new Set<string>();
  for (const r of pipeline.rows) {
    const file = pipeline.file;
    const id = r.cell('opportunity_id');
    const agent = r.cell('sales_agent');
    if (!id) {
      note(file, r.line, 'missing_id', 'opportunity_id is empty');
      continue;
    }
    const first = seenIds.get(id);
    if (first !== undefined) {
      note(file, r.line, 'duplicate_opportunity', `${id} was read on line ${first}`);
      continue;
    }
    if (!agent) {
      note(file, r.line, 'missing_agent', `${id}: sales_agent is empty`);
      continue;
    }
    const stageText = r.cell('deal_stage');
    const stage = stages[stageText.toLowerCase()];
    if (!stage) {
      note(file, r.line, 'invalid_stage', `${id}: deal_stage "${stageText}" is not Prospecting, Engaging, Won or Lost`);
      continue;
    }
    const engage = r.cell('engage_date') || null;
    const close = r.cell('close_date') || null;
    const badDate = [engage, close].find((d) => d !== null && !isIsoDate(d));
    if (badDate) {
      note(file, r.line, 'invalid_date', `${id}: "${badDate}" is not a date written YYYY-MM-DD`);
      continue;
    }
    const valueText = r.cell('close_value');
    let valueMinor: number | null = null;
    if (valueText) {
      try {
        valueMinor = parseMajorAmount(valueText, MAVEN_CURRENCY);
      } catch {
        valueMinor = -1;
      }
      if (valueMinor < 0) {
        note(file, r.line, 'invalid_value', `${id}: close_value "${valueText}" is not a non-negative amount`);
        continue;
      }
    }
    if ((stage === 'won' || stage === 'lost') && (close === null || valueMinor === null)) {
      note(file, r.line, 'missing_close', `${id}: ${stageText} without ${close === null ? 'close_date' : 'close_value'}`);
      continue;
    }
    seenIds.set(id, r.line);

    if (engage !== null && close !== null && close < engage) note(file, r.line, 'close_before_engage', `${id}: closed ${close}, engaged ${engage}`);

    if (!agents.has(agent)) {
      note(file, r.line, 'unknown_agent', `${id}: ${agent} is not in ${mavenFiles.salesTeams}`);
      if (!unknownAgents.has(agent))
        unknownAgents.set(agent, { externalRef: agentRef(agent), displayName: agent, managerRef: null, team: null, unit: null, territory: null });
    }
    agentsWithDeals.add(agent);

    const productText = r.cell('product');
    let product: string | null = productText || null;
    if (productText) {
      const canonical = productByKey.get(productKey(productText));
      if (canonical === undefined) note(file, r.line, 'unknown_product', `${id}: product "${productText}" is not in ${mavenFiles.products}`);
      else if (canonical !== productText) {
        note(file, r.line, 'product_spelling', `${id}: product "${productText}" read as "${canonical}" (the ${mavenFiles.products} spelling)`);
        product = canonical;
      }
    }

    const account = r.cell('account') || null;
    if (account === null) note(file, r.line, 'missing_account', `${id}: ${stageText} opportunity with no account (kept with the account empty)`);
    else if (accountNames && !accountNames.has(account)) note(file, r.line, 'unknown_account', `${id}: account "${account}" is not in ${mavenFiles.accounts}`);

    opportunities.push({
      externalId: id,
      line: r.line,
      sellerRef: agentRef(agent),
      accountName: account,
      product,
      stage,
      engageOn: engage,
      closeOn: close,
      valueMinor,
    });
  }

  for (const [name, a] of agents)
    if (!agentsWithDeals.has(name))
      note(teams.file, a.line, 'agent_without_opportunities', `${name} has no opportunity in ${mavenFiles.pipeline} (seller created all the same)`);

  return {
    sellers: [...managers.values(), ...[...agents.values()].map((a) => a.seller), ...unknownAgents.values()],
    opportunities,
    notes,
    pipelineRows: pipeline.rows.length,
    teamRows: teams.rows.length,
  };
}

/** Counts per kind, every kind listed (zeros too), in the order of `mavenNoteKinds`. */
export function countNotes(notes: readonly MavenNote[]): Record<MavenNoteKind, number> {
  const counts = Object.fromEntries(Object.keys(mavenNoteKinds).map((k) => [k, 0])) as Record<MavenNoteKind, number>;
  for (const n of notes) counts[n.kind] += 1;
  return counts;
}
