import { extractIam } from '../../review/iam-extract';
import { diffIam } from '../../review/iam-diff';
import { synthTinyStack } from './tiny-stack';

describe('extractIam', () => {
  const iam = extractIam(synthTinyStack());

  it('reads policy-document data sources and records which attributes use them', () => {
    const write = iam.statements.find((s) => s.sid === 'Write');
    expect(write).toMatchObject({
      source: 'data.aws_iam_policy_document.producer',
      effect: 'Allow',
      actions: ['kinesis:PutRecord', 'kinesis:PutRecords'],
      resources: ['${aws_kinesis_stream.stream.arn}'],
      role: 'inline',
      usedBy: ['aws_iam_role.producer_role'],
    });
    const trust = iam.statements.find((s) => s.source === 'data.aws_iam_policy_document.trust');
    expect(trust).toMatchObject({ role: 'trust', principals: ['Service:ec2.amazonaws.com'], usedBy: ['aws_iam_role.producer_role'] });
  });

  it('reads JSON policy strings such as bucket policies, with principals and conditions', () => {
    const bucket = iam.statements.find((s) => s.source === 'aws_s3_bucket_policy.bucket_policy.policy');
    expect(bucket).toMatchObject({
      role: 'bucket',
      sid: 'ProducerRead',
      actions: ['s3:GetObject'],
      resources: ['${aws_s3_bucket.bucket.arn}/*'],
      principals: ['AWS:${aws_iam_role.producer_role.arn}'],
      conditions: ['Bool aws:SecureTransport = [true]'],
    });
  });

  it('lists policies written as Terraform expressions as unreadable rather than dropping them', () => {
    const opaque = extractIam(synthTinyStack({ opaqueRolePolicy: true })).opaque;
    expect(opaque.map((o) => o.source)).toEqual(['aws_iam_role.producer_role.inline_policy[0].policy']);
    expect(opaque[0].expression).toMatch(/jsonencode/);
  });
});

describe('diffIam', () => {
  const base = synthTinyStack();

  it('treats reordered statements as no change', () => {
    const diff = diffIam(base, synthTinyStack({ reverseStatements: true }));
    expect(diff).toEqual({ added: [], removed: [], attachmentsAdded: [], attachmentsRemoved: [], opaque: [] });
  });

  it('shows an added action as an added statement and names the new action', () => {
    const diff = diffIam(base, synthTinyStack({ producerActions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DeleteStream'] }));
    expect(diff.added).toHaveLength(1);
    expect(diff.added[0]).toMatchObject({ source: 'data.aws_iam_policy_document.producer', newActions: ['kinesis:DeleteStream'] });
    expect(diff.added[0].actions).toContain('kinesis:DeleteStream');
    expect(diff.removed).toHaveLength(1);
    expect(diff.removed[0].actions).not.toContain('kinesis:DeleteStream');
  });

  it('diffs JSON policy statements and managed-policy attachments', () => {
    const diff = diffIam(base, synthTinyStack({ bucketPolicyActions: ['s3:GetObject', 's3:PutObject'], attachReadOnly: true }));
    expect(diff.added.map((s) => [s.source, s.newActions])).toEqual([['aws_s3_bucket_policy.bucket_policy.policy', ['s3:PutObject']]]);
    expect(diff.attachmentsAdded).toEqual([
      { source: 'aws_iam_role_policy_attachment.read_only', target: '${aws_iam_role.producer_role.name}', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ]);
    expect(diffIam(synthTinyStack({ attachReadOnly: true }), base).attachmentsRemoved).toHaveLength(1);
  });
});
