import { IamStatement } from './iam-extract';
import { AddedStatement } from './iam-diff';
import { AttributeChange } from './resource-diff';
import { Review, StackReview } from './review';
import { ReviewFinding } from './findings-diff';

/** Longest value shown in a table cell; longer ones keep their start and end around an ellipsis. */
export const MAX_VALUE_CHARS = 80;
/** Rows per table, so a large change still fits a PR comment (the JSON format has everything). */
export const MAX_ROWS = 60;

export function shorten(text: string, max = MAX_VALUE_CHARS): string {
  if (text.length <= max) return text;
  const tail = Math.floor(max / 4);
  return `${text.slice(0, max - tail - 1)}…${text.slice(text.length - tail)}`;
}

/** A value as the reviewer would write it: strings (and `${...}` references) as written, the rest as JSON. */
export function displayValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Inline code safe inside a markdown table cell. */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  return flat.includes('`') ? `\`\` ${flat} \`\`` : `\`${flat}\``;
}

const cellValue = (present: boolean, value: unknown): string => (present ? code(shorten(displayValue(value))) : '_(absent)_');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const list = (items: string[]): string => (items.length ? items.map((i) => code(shorten(i))).join(', ') : '');

function capped(rows: string[]): string[] {
  if (rows.length <= MAX_ROWS) return rows;
  return [...rows.slice(0, MAX_ROWS), `| | _… and ${rows.length - MAX_ROWS} more rows (run with \`--format json\` for all)_ | | | |`];
}

function details(summary: string, lines: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...lines, '', '</details>', ''];
}

const isScalarList = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((item) => typeof item !== 'object' || item === null);

/** For a list such as `actions`, what went in and out reads better than two long lists. */
function listChange(old: unknown[], next: unknown[]): string {
  const was = new Set(old.map(displayValue));
  const now = new Set(next.map(displayValue));
  const added = [...now].filter((v) => !was.has(v)).map((v) => `+${code(shorten(v))}`);
  const removed = [...was].filter((v) => !now.has(v)).map((v) => `−${code(shorten(v))}`);
  return [...added, ...removed].join(' ') || '_reordered_';
}

function attributeRow(mark: string, address: string, change: AttributeChange): string {
  const newCell =
    isScalarList(change.old) && isScalarList(change.new) ? listChange(change.old, change.new) : cellValue('new' in change, change.new);
  return `| ${mark} | ${code(address)} | ${code(change.path)} | ${cellValue('old' in change, change.old)} | ${newCell} |`;
}

function resourceSection(stack: StackReview): string[] {
  const rows = [
    ...stack.added.map((r) => `| + | ${code(r.address)} | _added_ | | |`),
    ...stack.removed.map((r) => `| − | ${code(r.address)} | _removed_ | | |`),
    ...stack.changed.flatMap((r) => r.attributes.map((a) => attributeRow('~', r.address, a))),
    ...stack.settings.map((a) => attributeRow('~', '(stack settings)', a)),
  ];
  if (rows.length === 0) return [];
  const counts = [
    stack.added.length && `${stack.added.length} added`,
    stack.removed.length && `${stack.removed.length} removed`,
    stack.changed.length && `${stack.changed.length} changed`,
    stack.settings.length && plural(stack.settings.length, 'setting') + ' changed',
  ].filter(Boolean);
  return details(`Resources: ${counts.join(', ')}`, [
    '| | address | attribute | old | new |',
    '| --- | --- | --- | --- | --- |',
    ...capped(rows),
  ]);
}

function statementRow(mark: string, st: IamStatement | AddedStatement): string {
  const fresh = new Set('newActions' in st ? st.newActions : []);
  const actions = [
    ...st.actions.map((a) => (fresh.has(a) ? `**${code(a)}** (new)` : code(a))),
    ...st.notActions.map((a) => `not ${code(a)}`),
  ].join(', ');
  const resources = [list(st.resources), st.notResources.length ? `not ${list(st.notResources)}` : ''].filter(Boolean).join('; ');
  const usedBy = st.usedBy.filter((u) => !st.source.startsWith(`${u}.`));
  const where = `${code(st.source)} (${st.role}${usedBy.length ? ` of ${list(usedBy)}` : ''})`;
  return `| ${mark} | ${where} | ${st.effect} | ${actions} | ${resources} | ${list(st.principals)} | ${list(st.conditions)} |`;
}

function iamSection(stack: StackReview): string[] {
  const { iam } = stack;
  const lines: string[] = [];
  const rows = [...iam.added.map((st) => statementRow('+', st)), ...iam.removed.map((st) => statementRow('−', st))];
  if (rows.length) {
    lines.push('| | written in | effect | actions | resources | principals | conditions |', '| --- | --- | --- | --- | --- | --- | --- |', ...capped(rows), '');
  }
  const attachments = [
    ...iam.attachmentsAdded.map((a) => `- + ${code(a.policyArn)} attached to ${code(a.target)} (${code(a.source)})`),
    ...iam.attachmentsRemoved.map((a) => `- − ${code(a.policyArn)} detached from ${code(a.target)} (${code(a.source)})`),
  ];
  if (attachments.length) lines.push('Managed policy attachments:', '', ...attachments, '');
  if (iam.opaque.length) {
    lines.push('Policies written as expressions the review cannot read (check by hand):', '');
    lines.push(...iam.opaque.map((o) => `- ${code(o.source)}: ${code(shorten(o.expression))}`), '');
  }
  if (lines.length === 0) return [];
  const granted = iam.added.reduce((n, st) => n + st.newActions.length, 0);
  const summary = [
    `${plural(iam.added.length, 'statement')} added`,
    `${iam.removed.length} removed`,
    granted ? `${plural(granted, 'new action')}` : '',
    attachments.length ? plural(attachments.length, 'attachment change') : '',
  ].filter(Boolean);
  return details(`IAM: ${summary.join(', ')}`, lines);
}

const findingLine = (f: ReviewFinding): string => `- **${f.severity}** ${code(f.ruleId)} on ${code(f.address)}: ${f.message}`;

function findingsSection(stack: StackReview): string[] {
  const { findings } = stack;
  const lines: string[] = [];
  if (findings.new.length) lines.push(`**New security findings (${findings.new.length})**`, '', ...findings.new.map(findingLine), '');
  if (findings.resolved.length) lines.push(...details(`Resolved findings: ${findings.resolved.length}`, findings.resolved.map(findingLine)));
  return lines;
}

function summaryRow(stack: StackReview): string {
  const resources = `+${stack.added.length} −${stack.removed.length} ~${stack.changed.length}`;
  const iam = `+${stack.iam.added.length} −${stack.iam.removed.length}`;
  const worst = stack.findings.new.map((f) => f.severity);
  const fresh = stack.findings.new.length ? `**${stack.findings.new.length}** (${[...new Set(worst)].join(', ')})` : '0';
  return `| ${code(stack.name)} | ${stack.status} | ${resources} | ${iam} | ${fresh} | ${stack.findings.resolved.length} | ${stack.findings.unchanged} |`;
}

/** The review as a PR-comment-sized markdown: a summary table, then per stack the collapsible details. */
export function renderMarkdown(review: Review): string {
  const lines = [`### Infrastructure review: ${code(review.base)} → ${code(review.head)}`, ''];
  lines.push(...review.notes.map((n) => `> ${n}`), ...(review.notes.length ? [''] : []));
  if (review.stacks.length === 0) return [...lines, 'No stacks on either side.', ''].join('\n');
  lines.push(
    '| stack | status | resources (+ − ~) | IAM statements (+ −) | new findings | resolved | unchanged findings |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...review.stacks.map(summaryRow),
    '',
  );
  const changed = review.stacks.filter((s) => s.status !== 'unchanged');
  if (changed.length === 0) lines.push('No changes to resources, IAM or security findings.', '');
  for (const stack of changed) {
    lines.push(`#### ${code(stack.name)}`, '', ...findingsSection(stack), ...resourceSection(stack), ...iamSection(stack));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
