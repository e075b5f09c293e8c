import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Dockerfile instruction: `COPY a b` -> { keyword: 'COPY', args: 'a b' }. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export const DOCKERFILE = join(__dirname, '..', '..', 'Dockerfile');

/** The instructions of a Dockerfile: comments dropped, `\` continuations joined. */
export function parseDockerfile(text: string = readFileSync(DOCKERFILE, 'utf8')): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(`${pending}${line}`.trim());
    pending = '';
  }
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

/** `[source..., destination]` of each COPY, in order (no --from or --chown flags are expected). */
export function copies(instructions: Instruction[]): Array<{ sources: string[]; destination: string }> {
  return instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => {
      const parts = i.args.split(/\s+/);
      if (parts.some((p) => p.startsWith('--'))) throw new Error(`COPY with flags is not supported here: ${i.args}`);
      return { sources: parts.slice(0, -1), destination: parts[parts.length - 1] };
    });
}

/** The exec-form (JSON array) arguments of the one instruction `keyword`, e.g. ENTRYPOINT. */
export function execForm(instructions: Instruction[], keyword: string): string[] {
  const found = instructions.filter((i) => i.keyword === keyword);
  if (found.length !== 1) throw new Error(`expected one ${keyword}, found ${found.length}`);
  return JSON.parse(found[0].args) as string[];
}
