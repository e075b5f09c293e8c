import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** One `cdktf` command as written in the README or a workflow, with what it needs to run. */
export interface CdktfCommand {
  /** Where it was found, for failure messages. */
  readonly source: string;
  readonly text: string;
  /** `.` or a subfolder it is run from (`cd bootstrap && ...`). */
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly verb: string;
  readonly args: string[];
}

const ROOT = join(__dirname, '..', '..');

/** Placeholders a reader substitutes: `<stage>` and a workflow's `${STAGE}` become the stage, dev by default. */
function substitute(text: string, stage: string): string {
  return text.replace(/<stage>/g, stage).replace(/\$\{STAGE\}|\$STAGE\b/g, stage);
}

/** Parses `[cd dir &&] [VAR=value ...] npx cdktf <verb> args...` (quotes removed, trailing # comment dropped). */
export function parseCdktfCommand(raw: string, source: string): CdktfCommand | undefined {
  const text = raw.replace(/\s+#.*$/, '').replace(/^\(|\)$/g, '').trim();
  const match = /^(?:cd (\S+) && )?((?:[A-Z_]+=\S+ )*)npx cdktf (\S+)(.*)$/.exec(text);
  if (!match) return undefined;
  const env = Object.fromEntries(match[2].trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
  const stage = env.STAGE ?? 'dev';
  const args = substitute(match[4], stage).trim().split(/\s+/).filter(Boolean).map((a) => a.replace(/^"|"$/g, ''));
  return { source, text, cwd: match[1] ?? '.', env, verb: match[3], args };
}

/** Lines of fenced shell code blocks, and the text outside any fence (fences may be indented in lists). */
function splitFences(markdown: string): { shell: string[]; prose: string } {
  const shell: string[] = [];
  const prose: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^\s*```(\w*)/.exec(line);
    if (marker) fence = fence === undefined ? marker[1] : undefined;
    else if (fence === undefined) prose.push(line);
    else if (['bash', 'sh', 'shell', ''].includes(fence)) shell.push(line.trim());
  }
  return { shell, prose: prose.join('\n') };
}

/** Every cdktf command in the README: in fenced shell code blocks and in inline code. */
export function readmeCommands(readme: string = readFileSync(join(ROOT, 'README.md'), 'utf8')): CdktfCommand[] {
  const { shell: fenced, prose } = splitFences(readme);
  const inline = [...prose.matchAll(/`([^`\n]*npx cdktf [^`\n]*)`/g)].map((m) => m[1]);
  return [...fenced, ...inline]
    .filter((line) => line.includes('npx cdktf '))
    .map((line) => parseCdktfCommand(line, 'README.md'))
    .filter((c): c is CdktfCommand => c !== undefined);
}

/** Every cdktf command a workflow runs, with its job's STAGE defaulting to dev. */
export function workflowCommands(files: string[]): CdktfCommand[] {
  return files.flatMap((file) => {
    const wf = parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8')) as { jobs: Record<string, { steps: Array<{ run?: string }> }> };
    return Object.values(wf.jobs)
      .flatMap((job) => job.steps.flatMap((s) => (s.run ?? '').split('\n')))
      .filter((line) => line.includes('npx cdktf '))
      .map((line) => parseCdktfCommand(line.trim(), file))
      .filter((c): c is CdktfCommand => c !== undefined);
  });
}
