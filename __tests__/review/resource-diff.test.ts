import { diffResources } from '../../review/resource-diff';
import { synthTinyStack } from './tiny-stack';

describe('diffResources on synthesized stacks', () => {
  const base = synthTinyStack();

  it('reports nothing for identical inputs', () => {
    const diff = diffResources(base, synthTinyStack());
    expect(diff).toEqual({ added: [], removed: [], changed: [], settings: [] });
  });

  it('ignores cdktf metadata such as construct paths', () => {
    // An app synth (unlike Testing.synth) writes `//` metadata into every block; it moves with construct paths.
    const withMetadata = JSON.parse(JSON.stringify(base));
    withMetadata['//'] = { metadata: { stackName: 'moved' } };
    withMetadata.resource.aws_kinesis_stream.stream['//'] = { metadata: { path: 'moved/stream', uniqueId: 'stream' } };
    const diff = diffResources(base, withMetadata);
    expect(diff).toEqual({ added: [], removed: [], changed: [], settings: [] });
  });

  it('shows a shard-count change as old -> new on the stream address', () => {
    const diff = diffResources(base, synthTinyStack({ shardCount: 8 }));
    expect(diff.changed).toEqual([
      { address: 'aws_kinesis_stream.stream', type: 'aws_kinesis_stream', attributes: [{ path: 'shard_count', old: 2, new: 8 }] },
    ]);
  });

  it('flattens nested blocks and shows references as written', () => {
    const diff = diffResources(base, synthTinyStack({ useSecondKey: true }));
    const sse = diff.changed.find((c) => c.address === 'aws_s3_bucket_server_side_encryption_configuration.sse');
    expect(sse?.attributes).toEqual([
      {
        path: 'rule[0].apply_server_side_encryption_by_default.kms_master_key_id',
        old: '${aws_kms_key.key.arn}',
        new: '${aws_kms_key.second_key.arn}',
      },
    ]);
  });

  it('lists added and removed resources by address, with their flattened values', () => {
    const withExtra = synthTinyStack({ withExtraBucket: true });
    const added = diffResources(base, withExtra);
    expect(added.added.map((r) => r.address)).toEqual(['aws_s3_bucket.extra_bucket']);
    expect(added.added[0].values).toEqual({ bucket_prefix: 'extra-' });
    expect(diffResources(withExtra, base).removed.map((r) => r.address)).toEqual(['aws_s3_bucket.extra_bucket']);
  });

  it('addresses data sources as data.type.name and reports an attribute that appears', () => {
    const diff = diffResources(base, synthTinyStack({ attachReadOnly: true, producerActions: ['kinesis:PutRecord'] }));
    expect(diff.added.map((r) => r.address)).toEqual(['aws_iam_role_policy_attachment.read_only']);
    const doc = diff.changed.find((c) => c.address === 'data.aws_iam_policy_document.producer');
    expect(doc?.attributes).toEqual([
      { path: 'statement[0].actions', old: ['kinesis:PutRecord', 'kinesis:PutRecords'], new: ['kinesis:PutRecord'] },
    ]);
  });

  it('reports backend changes as stack settings', () => {
    const head = JSON.parse(JSON.stringify(base));
    head.terraform.backend = { s3: { bucket: 'state', key: 'tiny.tfstate' } };
    const diff = diffResources(base, head);
    expect(diff.changed).toEqual([]);
    expect(diff.settings.map((s) => s.path).sort()).toEqual(['terraform.backend.s3.bucket', 'terraform.backend.s3.key']);
    expect(diff.settings.every((s) => !('old' in s) && 'new' in s)).toBe(true);
  });
});

describe('stack settings', () => {
  const base = synthTinyStack();

  it('shows an output as one row with its value, marked when sensitive', () => {
    const head = JSON.parse(JSON.stringify(base));
    head.output = { stream_arn: { value: '${aws_kinesis_stream.stream.arn}', sensitive: true } };
    expect(diffResources(base, head).settings).toEqual([{ path: 'output.stream_arn', new: '${aws_kinesis_stream.stream.arn} (sensitive)' }]);
  });

  it("shows a change of an input variable's default (what the plan deploys when no TF_VAR_ is set)", () => {
    const withTag = (tag: string) => ({ ...base, variable: { loadgen_image_tag: { type: 'string', default: tag } } });
    expect(diffResources(withTag('abc'), withTag('def')).settings).toEqual([{ path: 'variable.loadgen_image_tag.default', old: 'abc', new: 'def' }]);
  });

  it('lists every setting of a new stack as added, without an empty root row', () => {
    const settings = diffResources({}, base).settings;
    expect(settings.map((s) => s.path)).toEqual(['provider.aws[0].region', 'terraform.required_providers.aws.source', 'terraform.required_providers.aws.version']);
    expect(diffResources({}, {})).toEqual({ added: [], removed: [], changed: [], settings: [] });
  });
});
