import { isRecord } from '../terraform-json';

/** What `terraform show -json <planfile>` says a plan will do, counted the way `terraform plan` prints it. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Resources destroyed and re-created (also counted in add and destroy, as terraform does). */
  readonly replace: number;
  readonly changes: { readonly address: string; readonly action: 'create' | 'update' | 'delete' | 'replace' }[];
  readonly outputChanges: number;
}

type Action = PlanSummary['changes'][number]['action'];

function actionOf(actions: unknown): Action | undefined {
  const list = Array.isArray(actions) ? actions.map(String) : [];
  if (list.includes('delete') && list.includes('create')) return 'replace';
  if (list.includes('create')) return 'create';
  if (list.includes('update')) return 'update';
  if (list.includes('delete')) return 'delete';
  return undefined; // no-op and read
}

export function summarizePlan(plan: unknown): PlanSummary {
  const resourceChanges = isRecord(plan) && Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  const changes: { address: string; action: Action }[] = [];
  for (const rc of resourceChanges) {
    if (!isRecord(rc) || !isRecord(rc.change)) continue;
    const action = actionOf(rc.change.actions);
    if (action) changes.push({ address: String(rc.address), action });
  }
  const count = (a: Action): number => changes.filter((c) => c.action === a).length;
  const outputs = isRecord(plan) && isRecord(plan.output_changes) ? Object.values(plan.output_changes) : [];
  return {
    add: count('create') + count('replace'),
    change: count('update'),
    destroy: count('delete') + count('replace'),
    replace: count('replace'),
    changes: changes.sort((a, b) => a.address.localeCompare(b.address)),
    outputChanges: outputs.filter((o) => isRecord(o) && actionOf(o.actions) !== undefined).length,
  };
}

const MARKS: Record<Action, string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

/** `Plan: 1 to add, 2 to change, 0 to destroy.` as terraform prints it, plus replacements when any. */
export function planHeadline(s: PlanSummary): string {
  const replaced = s.replace ? ` (${s.replace} replaced)` : '';
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy${replaced}.`;
}

/** One line per changed resource, prefixed like terraform's plan output. */
export function planChangeLines(s: PlanSummary): string[] {
  return s.changes.map((c) => `${MARKS[c.action].padEnd(3)} ${c.address}`);
}
