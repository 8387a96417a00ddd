import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { componentKinds, PLAN_FORMAT, planDocument, planDocumentShape, type PlanDocument } from './plan.ts';

/**
 * Plans as code: a plan document read from and written to YAML or JSON files (`realign comp
 * simulate --plan`, plan export and import). The file format is the plan model of plan.ts, key for
 * key; docs/comp-plans.md documents it and docs/comp-plan.schema.json is its JSON Schema (editors
 * validate and complete plan files with it). Pure: no I/O, runs in the browser too.
 */

export type PlanFileFormat = 'yaml' | 'json';

/** One problem with a plan file: where (a path such as `components[2].tiers[1].fromBps` and the line, 1-based) and what. */
export type PlanFileProblem = { path: string; line: number | null; message: string };

export type PlanFileResult = { plan: PlanDocument } | { problems: PlanFileProblem[] };

/** Where the JSON Schema of plan files says it lives (its `$id`). */
export const PLAN_SCHEMA_ID = 'urn:realign:comp-plan:v1';

/** A path as written in problems: `components[2].tiers[1].fromBps`; the document itself is "". */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** JSON when the text opens with `{`, YAML otherwise (JSON is YAML too, but JSON errors read better as JSON). */
export function detectFormat(text: string): PlanFileFormat {
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

/** The child node at one path segment, and the node to point at when the segment is a map key (unknown keys). */
function childOf(node: unknown, seg: PropertyKey): { value: unknown; key: unknown } | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
    return pair ? { value: pair.value ?? pair.key, key: pair.key } : null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg];
    return item === undefined ? null : { value: item, key: item };
  }
  return null;
}

function lineOfNode(node: unknown, counter: LineCounter): number | null {
  const range = (node as YamlNode | null)?.range;
  if (!range) return null;
  return counter.linePos(range[0]).line;
}

/**
 * The line of the node at `path`: the deepest node that exists (a missing key points at the map it
 * is missing from). With `atKey` the last segment's key is meant (an unknown key), not its value.
 */
function lineAt(root: unknown, path: readonly PropertyKey[], counter: LineCounter, atKey = false): number | null {
  let node = root;
  let line = lineOfNode(node, counter);
  for (let i = 0; i < path.length; i += 1) {
    const seg = path[i] as PropertyKey;
    const child = childOf(node, seg);
    if (!child) break;
    node = i === path.length - 1 && atKey ? child.key : child.value;
    line = lineOfNode(node, counter) ?? line;
  }
  return line;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `is required (${issue.expected})`;
  if (issue.code === 'invalid_union' && issue.path[issue.path.length - 1] === 'kind')
    return `unknown component kind: must be one of ${componentKinds.join(', ')}`;
  if (issue.code === 'invalid_value' && issue.path.length === 1 && issue.path[0] === 'format') return `must be ${PLAN_FORMAT}`;
  return issue.message;
}

const sortProblems = (problems: PlanFileProblem[]): PlanFileProblem[] =>
  problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({ p }) => p);

/** A JSON syntax error's line, from V8's message ("... at position 12 (line 2 column 3)"). */
function jsonErrorLine(text: string, message: string): number | null {
  const line = /\(line (\d+) column \d+\)/.exec(message);
  if (line?.[1]) return Number(line[1]);
  const pos = /at position (\d+)/.exec(message);
  if (pos?.[1]) return text.slice(0, Number(pos[1])).split('\n').length;
  return null;
}

/**
 * Reads a plan file. Every problem is listed, each with its path and line: YAML or JSON syntax
 * errors, then the shape (types, ranges, required and unknown keys), then — when the shape holds —
 * the plan's own checks (planProblems: tiers that overlap, duplicate keys, ...).
 */
export function parsePlanFile(text: string, format: PlanFileFormat | 'auto'): PlanFileResult {
  const fmt = format === 'auto' ? detectFormat(text) : format;
  if (fmt === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replace(/, ".*" is not valid JSON$/s, '');
      // V8 does not always say where; the YAML parser (JSON is YAML) usually can.
      const yamlCounter = new LineCounter();
      const yamlError = parseDocument(text, { lineCounter: yamlCounter }).errors[0];
      const line = jsonErrorLine(text, message) ?? (yamlError ? yamlCounter.linePos(yamlError.pos[0]).line : null);
      return { problems: [{ path: '', line, message: `not valid JSON: ${message}` }] };
    }
  }
  const counter = new LineCounter();
  // JSON is read by the YAML parser too (it is YAML 1.2), for the lines of its nodes.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true, version: '1.2' });
  if (doc.errors.length > 0)
    return {
      problems: doc.errors.map((e) => ({
        path: '',
        line: counter.linePos(e.pos[0]).line,
        message: `not valid ${fmt === 'json' ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0] ?? e.code}`,
      })),
    };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { problems: [{ path: '', line: null, message: err instanceof Error ? err.message : String(err) }] };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return {
      problems: [{ path: '', line: lineOfNode(doc.contents, counter), message: `a plan file holds one object (format: ${PLAN_FORMAT}, key, name, ...)` }],
    };
  const parsed = planDocument.safeParse(data);
  if (parsed.success) return { plan: parsed.data };
  const problems: PlanFileProblem[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        problems.push({ path: formatPath(path), line: lineAt(doc.contents, path, counter, true), message: 'unknown key' });
      }
      continue;
    }
    problems.push({ path: formatPath(issue.path), line: lineAt(doc.contents, issue.path, counter), message: issueMessage(issue) });
  }
  return { problems: sortProblems(problems) };
}

// ---------------------------------------------------------------------------------------------
// Writing: keys in the order the schema declares them, so exports are stable and diffs readable.

type AnySchema = z.ZodType;

/** The schema under wrappers that do not change the value's shape (default, nullable, optional, pipe). */
function unwrapSchema(schema: AnySchema): AnySchema {
  let s: AnySchema = schema;
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap() as AnySchema;
    else if (s instanceof z.ZodPipe) s = s.in as AnySchema;
    else return s;
  }
}

function ordered(value: unknown, schema: AnySchema | null): unknown {
  if (value === null || typeof value !== 'object') return value;
  const s = schema ? unwrapSchema(schema) : null;
  if (Array.isArray(value)) return value.map((v) => ordered(v, s instanceof z.ZodArray ? (s.element as AnySchema) : null));
  const obj = value as Record<string, unknown>;
  let shape: Record<string, AnySchema> | null = null;
  if (s instanceof z.ZodObject) shape = s.shape;
  else if (s instanceof z.ZodDiscriminatedUnion) {
    const option = (s.options as AnySchema[]).find((o) => {
      const kind = o instanceof z.ZodObject ? (o.shape as Record<string, AnySchema>).kind : undefined;
      return kind instanceof z.ZodLiteral && kind.values.has(obj.kind as never);
    });
    if (option instanceof z.ZodObject) shape = option.shape;
  }
  const out: Record<string, unknown> = {};
  const keys = shape
    ? [
        ...Object.keys(shape).filter((k) => k in obj),
        ...Object.keys(obj)
          .filter((k) => !(shape && k in shape))
          .sort(),
      ]
    : Object.keys(obj).sort();
  for (const k of keys) {
    if (obj[k] === undefined) continue;
    out[k] = ordered(obj[k], shape?.[k] ?? null);
  }
  return out;
}

/** The plan as plain data with its keys in schema order (every key written, defaults included). */
export function orderedPlan(plan: PlanDocument): Record<string, unknown> {
  return ordered(plan, planDocumentShape) as Record<string, unknown>;
}

/**
 * Writes a plan file. Every key is written (defaults too), in schema order, so a plan exported twice
 * gives the same text and parsePlanFile(stringifyPlan(p)) gives p back.
 */
export function stringifyPlan(plan: PlanDocument, format: PlanFileFormat): string {
  const data = orderedPlan(plan);
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  const doc = new Document(data, { version: '1.2', aliasDuplicateObjects: false });
  // Lists of plain values on one line ([direct, split]); lists of objects as blocks.
  visit(doc, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
  });
  const body = doc.toString({ lineWidth: 0, indentSeq: true, nullStr: 'null', flowCollectionPadding: false });
  return `# Realign compensation plan (${PLAN_FORMAT}); reference: docs/comp-plans.md\n${body}`;
}

/** The JSON Schema of plan files (what an editor validates a YAML or JSON plan with): docs/comp-plan.schema.json. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planDocumentShape, { io: 'input' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return {
    $schema,
    $id: PLAN_SCHEMA_ID,
    title: 'Realign compensation plan',
    description: `A compensation plan document (${PLAN_FORMAT}): money in integer minor units of the plan currency, rates and multipliers in basis points, dates YYYY-MM-DD, ranges half-open. See docs/comp-plans.md.`,
    ...rest,
  };
}
