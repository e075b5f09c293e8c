import { writeFileSync } from 'node:fs';
import { evaluateStack } from '../policy';
import { blockingFindings } from './gate';
import { OptionError, parseOptions } from './options';
import { renderMarkdown } from './render-markdown';
import { buildReview } from './review';
import { loadSnapshot, stopSynthesis, SynthError } from './snapshot';

/**
 * `npm run review -- --base <dir|git-ref> [--head <dir|git-ref>] [--format md|json] [--out file] [--fail-on <severity>]`
 * Exit 0, 1 when --fail-on is reached by a new finding, 2 on bad input or a failed synthesis.
 */
async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const base = await loadSnapshot('--base', options.base);
  const head = await loadSnapshot('--head', options.head);
  const notes = [base.note, head.note].filter((n): n is string => n !== undefined);
  const review = buildReview({ base: base.label, head: head.label, notes }, base.stacks, head.stacks, evaluateStack);
  const text = options.format === 'json' ? `${JSON.stringify(review, null, 2)}\n` : renderMarkdown(review);
  if (options.out) writeFileSync(options.out, text);
  else process.stdout.write(text);

  const blocking = blockingFindings(review, options.failOn);
  const changed = review.stacks.filter((s) => s.status !== 'unchanged').length;
  process.stderr.write(
    `review: ${review.stacks.length} stacks, ${changed} with changes` +
      (options.out ? `, written to ${options.out}` : '') +
      (blocking.length ? `; ${blocking.length} new finding(s) at or above --fail-on ${options.failOn}` : '') +
      '\n',
  );
  return blocking.length > 0 ? 1 : 0;
}

// Ctrl-C stops the synthesis child; the finally blocks then remove the temporary worktree before exit.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    stopSynthesis();
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = interrupted ? 130 : code;
  },
  (error: unknown) => {
    const known = error instanceof OptionError || error instanceof SynthError;
    const message = interrupted ? 'interrupted' : known ? (error as Error).message : `unexpected error: ${(error as Error)?.message ?? error}`;
    process.stderr.write(`review: ${message}\n`);
    process.exitCode = interrupted ? 130 : 2;
  },
);
