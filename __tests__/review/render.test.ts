import { ReviewFinding } from '../../review/findings-diff';
import { code, MAX_VALUE_CHARS, renderMarkdown, shorten } from '../../review/render-markdown';
import { buildReview } from '../../review/review';
import { TerraformJson } from '../../review/terraform-json';
import { synthTinyStack } from './tiny-stack';

/** A stand-in rule so these tests exercise the review's finding handling without the policy module. */
function rotationRule(stack: TerraformJson): ReviewFinding[] {
  const keys = ((stack.resource as Record<string, Record<string, Record<string, unknown>>>)?.aws_kms_key ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(keys)
    .filter(([, body]) => body.enable_key_rotation !== true)
    .map(([name]) => ({ ruleId: 'KMS_ROTATION', severity: 'HIGH', address: `aws_kms_key.${name}`, message: 'rotation is off' }));
}

const stacks = (json: TerraformJson) => new Map([['iot-aws-dev', json]]);

describe('buildReview and renderMarkdown', () => {
  const base = synthTinyStack();

  it('says there are no changes for identical inputs', () => {
    const review = buildReview({ base: 'a', head: 'b' }, stacks(base), stacks(synthTinyStack()), rotationRule);
    expect(review.stacks.map((s) => s.status)).toEqual(['unchanged']);
    const md = renderMarkdown(review);
    expect(md).toContain('No changes to resources, IAM or security findings.');
    expect(md).not.toContain('<details>');
  });

  it('groups a change into a summary row and collapsible resource and IAM details', () => {
    const head = synthTinyStack({ shardCount: 4, keyRotation: false, producerActions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DeleteStream'] });
    const review = buildReview({ base: 'main', head: 'working tree' }, stacks(base), stacks(head), rotationRule);
    const [stack] = review.stacks;
    expect(stack.status).toBe('changed');
    expect(stack.findings.new).toEqual([{ ruleId: 'KMS_ROTATION', severity: 'HIGH', address: 'aws_kms_key.key', message: 'rotation is off' }]);
    const md = renderMarkdown(review);
    expect(md).toContain('| `iot-aws-dev` | changed | +0 −0 ~3 | +1 −1 | **1** (HIGH) | 0 | 0 |');
    expect(md).toContain('| ~ | `aws_kinesis_stream.stream` | `shard_count` | `2` | `4` |');
    expect(md).toContain('- **HIGH** `KMS_ROTATION` on `aws_kms_key.key`: rotation is off');
    expect(md).toContain('**`kinesis:DeleteStream`** (new)');
    expect(md).toMatch(/<summary>IAM: 1 statement added, 1 removed, 1 new action<\/summary>/);
    expect(md.match(/<details>/g)).toHaveLength(md.match(/<\/details>/g)?.length ?? -1);
  });

  it('reports a fixed finding as resolved and a stack on one side only as new or deleted', () => {
    const resolved = buildReview({ base: 'a', head: 'b' }, stacks(synthTinyStack({ keyRotation: false })), stacks(base), rotationRule);
    expect(resolved.stacks[0].findings.resolved.map((f) => f.address)).toEqual(['aws_kms_key.key']);
    const created = buildReview({ base: 'a', head: 'b' }, new Map(), stacks(base), rotationRule);
    expect(created.stacks[0].status).toBe('new');
    expect(created.stacks[0].added.length).toBeGreaterThan(5);
    expect(buildReview({ base: 'a', head: 'b' }, stacks(base), new Map(), rotationRule).stacks[0].status).toBe('deleted');
  });
});

describe('markdown helpers', () => {
  it('shortens long values around an ellipsis, keeping start and end', () => {
    const long = `\${aws_iam_role.${'x'.repeat(200)}.arn}`;
    const short = shorten(long);
    expect(short).toHaveLength(MAX_VALUE_CHARS);
    expect(short.startsWith('${aws_iam_role.')).toBe(true);
    expect(short.endsWith('.arn}')).toBe(true);
    expect(shorten('short')).toBe('short');
  });

  it('keeps table cells intact', () => {
    expect(code('a|b')).toBe('`a\\|b`');
    expect(code('has `tick`')).toBe('`` has `tick` ``');
  });
});

describe('list attributes', () => {
  it('show what went in and out of a list instead of two long lists', () => {
    const head = synthTinyStack({ producerActions: ['kinesis:PutRecords', 'kinesis:DeleteStream'] });
    const md = renderMarkdown(buildReview({ base: 'a', head: 'b' }, stacks(synthTinyStack()), stacks(head), () => []));
    expect(md).toContain('| ~ | `data.aws_iam_policy_document.producer` | `statement[0].actions` | `["kinesis:PutRecord","kinesis:PutRecords"]` | +`kinesis:DeleteStream` −`kinesis:PutRecord` |');
  });
});
