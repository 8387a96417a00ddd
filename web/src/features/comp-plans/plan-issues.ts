import { createContext, useContext } from 'react';
import { planDocument, type PlanDocument } from '../../../../common/comp/plan.ts';
import { humaniseMessage, normalisePath, pathText } from './plan-format.ts';

export type PlanIssue = { path: string; message: string };

/** Every problem of a plan as the plan model sees it (shape and planProblems), paths as text. */
export function validatePlan(value: PlanDocument): PlanIssue[] {
  const result = planDocument.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: pathText(i.path), message: humaniseMessage(i.message) }));
}

/** Issues from the server (any path notation) in the editor's notation, without the ones already found live. */
export function mergeIssues(live: readonly PlanIssue[], server: readonly PlanIssue[]): PlanIssue[] {
  const seen = new Set(live.map((i) => `${i.path}\n${i.message}`));
  const out = [...live];
  for (const s of server) {
    const issue = { path: normalisePath(s.path), message: humaniseMessage(s.message) };
    const id = `${issue.path}\n${issue.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(issue);
    }
  }
  return out;
}

export type IssueIndex = ReadonlyMap<string, readonly string[]>;

export function indexIssues(issues: readonly PlanIssue[]): IssueIndex {
  const map = new Map<string, string[]>();
  for (const i of issues) map.set(i.path, [...(map.get(i.path) ?? []), i.message]);
  return map;
}

export const PlanIssuesContext = createContext<IssueIndex>(new Map());

/** The messages for exactly this path, joined for a field's error slot (null when none). */
export function useIssueAt(path: string): string | null {
  const index = useContext(PlanIssuesContext);
  const messages = index.get(path);
  return messages && messages.length > 0 ? messages.join('; ') : null;
}
