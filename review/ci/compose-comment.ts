import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { CheckovResult, parseCheckov } from './checkov-summary';
import { StackPlan } from './plan-stacks';
import { planChangeLines, planHeadline } from './plan-summary';

/**
 * CI step: one PR comment from the offline review, the per-stack plans and the checkov scan.
 *
 *   npx tsx review/ci/compose-comment.ts --review review.md --plans plans/plans.json --checkov checkov.json --out comment.md
 */

/** Hidden marker by which the workflow finds its own comment to update (same as .github/scripts/upsert-comment.js). */
export const COMMENT_MARKER = '<!-- iot-plan-review -->';
/** GitHub rejects comments over 65,536 characters; keep a margin for the footer. */
export const MAX_COMMENT_CHARS = 60_000;

export interface CommentInputs {
  /** The review's markdown; undefined when the review step did not produce it. */
  readonly review?: string;
  /** plans.json from plan-stacks; undefined when the plan step did not run. */
  readonly plans?: StackPlan[];
  readonly checkov: CheckovResult;
  /** Commit and run link for the footer. */
  readonly commit?: string;
  readonly runUrl?: string;
}

function planSection(plans: StackPlan[] | undefined): string[] {
  const lines = ['### Terraform plan', ''];
  if (!plans || plans.length === 0) {
    return [...lines, '**Plan skipped:** the plan step did not run (an earlier step failed; see the job log).', ''];
  }
  for (const p of plans) {
    if (p.status === 'skipped') {
      lines.push(`- \`${p.stack}\`: **plan skipped** because ${p.reason}. The offline review above still applies.`);
      continue;
    }
    const headline = p.status === 'planned' ? (p.summary ? planHeadline(p.summary) : 'planned (no JSON summary)') : `**${p.reason}**`;
    const body = [
      ...(p.warning ? [`> **Warning:** ${p.warning}.`, ''] : []),
      ...(p.summary && p.summary.changes.length ? ['```diff', ...planChangeLines(p.summary), '```', ''] : []),
      ...(p.text ? ['<details><summary>plan output</summary>', '', '```', p.text, '```', '', '</details>'] : []),
    ];
    lines.push(`<details><summary><code>${p.stack}</code>: ${headline}</summary>`, '', ...body, '', '</details>', '');
  }
  return [...lines, ''];
}

function checkovSection(result: CheckovResult): string[] {
  const lines = ['### Scanner: checkov (`terraform_json` on cdktf.out)', ''];
  if (!result.ok) {
    return [
      ...lines,
      `checkov did not produce a report (${result.reason}). Its terraform_json parser has open problems with ` +
        'cdktf output, so this step only warns; the policy findings in the review above come from `policy/` and cover our rules.',
      '',
    ];
  }
  const summary = `checkov: ${result.failed.length} failed, ${result.passed} passed${result.parsingErrors.length ? `, ${result.parsingErrors.length} files not parsed` : ''}`;
  if (result.failed.length === 0) return [...lines, `${summary}.`, ''];
  const rows = result.failed.map((f) => `| \`${f.checkId}\` | \`${f.resource}\` | ${f.name.replace(/\|/g, '\\|')} |`);
  return [...lines, `<details><summary>${summary}</summary>`, '', '| check | resource | what |', '| --- | --- | --- |', ...rows, '', '</details>', ''];
}

/** Cuts the comment to GitHub's size limit, saying so, rather than letting the API reject it. */
function fit(text: string): string {
  if (text.length <= MAX_COMMENT_CHARS) return text;
  return `${text.slice(0, MAX_COMMENT_CHARS)}\n\n… comment cut at ${MAX_COMMENT_CHARS} characters; the job log and summary have everything.\n`;
}

export function composeComment(inputs: CommentInputs): string {
  const review = inputs.review?.trim()
    ? inputs.review.trim()
    : '**The offline review did not run** (an earlier step failed; see the job log).';
  const footer = [inputs.commit && `commit \`${inputs.commit.slice(0, 7)}\``, inputs.runUrl && `[workflow run](${inputs.runUrl})`].filter(Boolean);
  const body = [
    COMMENT_MARKER,
    '## Infrastructure plan review',
    '',
    review,
    '',
    ...planSection(inputs.plans),
    ...checkovSection(inputs.checkov),
    ...(footer.length ? [`<sub>${footer.join(' · ')}</sub>`, ''] : []),
  ].join('\n');
  return fit(body);
}

const readIfExists = (file: string | undefined): string | undefined => (file && existsSync(file) ? readFileSync(file, 'utf8') : undefined);

function arg(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (require.main === module) {
  const plansText = readIfExists(arg('--plans'));
  const env = process.env;
  const comment = composeComment({
    review: readIfExists(arg('--review')),
    plans: plansText ? (JSON.parse(plansText) as StackPlan[]) : undefined,
    checkov: parseCheckov(readIfExists(arg('--checkov'))),
    commit: env.PR_HEAD_SHA || env.GITHUB_SHA,
    runUrl: env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  });
  writeFileSync(arg('--out') ?? 'comment.md', comment);
}
