import { ALL_RULES, evaluateStack, extractIamStatements, SEVERITY_ORDER } from '../../policy';
import { isWildcardResource } from '../../policy/rules/aws-iam';
import { rmSync } from 'node:fs';
import { named, only, synthAws, type Json } from '../aws/synth-aws';
import { synthDatabricks, testConfig, type Synthesized } from '../databricks/stack-fixtures';
import { fleetConfig, synthApp } from '../load-fleet/fleet-fixtures';

const docName = (ref: string) => /data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)/.exec(ref)![1];

describe('policy module on our AWS stacks', () => {
  let dev: Json;
  let prod: Json;
  beforeAll(() => {
    dev = synthAws('dev').json;
    prod = synthAws('prod').json;
  });

  it('finds nothing on the dev and prod stacks, nor with every option switched on', () => {
    expect(evaluateStack(dev)).toEqual([]);
    expect(evaluateStack(prod)).toEqual([]);
    const everything = synthAws('dev', (c) => {
      c.cluster = { writesToS3: true };
      c.databricks.processor = { consumerMode: 'efo' };
      c.backend = { type: 's3', bucket: 'state-bucket' };
      c.alarms.email = 'ops@example.com';
    }).json;
    expect(Object.keys(everything.resource)).toContain('aws_sns_topic');
    expect(evaluateStack(everything)).toEqual([]);
  });

  /** The findings of one rule on a copy of the dev stack weakened by `weaken`. */
  function findingsAfter(ruleId: string, weaken: (j: Json) => void) {
    const copy = structuredClone(dev);
    weaken(copy);
    return evaluateStack(copy).filter((f) => f.ruleId === ruleId);
  }
  const policyDoc = (j: Json, resourceType: string, name: string, attr = 'policy') =>
    j.data.aws_iam_policy_document[docName(named(j, resourceType, name)[1][attr])];

  it.each<[string, string, (j: Json) => void, RegExp]>([
    ['IOT-AWS-001', 'aws_kms_key', (j) => (only(j, 'aws_kms_key')[1].enable_key_rotation = false), /rotation is off/],
    ['IOT-AWS-002', 'aws_kinesis_stream', (j) => (only(j, 'aws_kinesis_stream')[1].encryption_type = 'NONE'), /not encrypted/],
    ['IOT-AWS-002', 'aws_kinesis_stream', (j) => (only(j, 'aws_kinesis_stream')[1].kms_key_id = 'alias/aws/kinesis'), /AWS-managed key/],
    ['IOT-AWS-003', 'aws_s3_bucket', (j) => (only(j, 'aws_s3_bucket_public_access_block')[1].restrict_public_buckets = false), /restrict_public_buckets off/],
    ['IOT-AWS-003', 'aws_s3_bucket', (j) => delete j.resource.aws_s3_bucket_public_access_block, /no aws_s3_bucket_public_access_block/],
    ['IOT-AWS-004', 'aws_s3_bucket', (j) => (only(j, 'aws_s3_bucket_server_side_encryption_configuration')[1].rule[0].apply_server_side_encryption_by_default = { sse_algorithm: 'AES256' }), /SSE-KMS/],
    ['IOT-AWS-005', 'aws_s3_bucket', (j) => (only(j, 'aws_s3_bucket_versioning')[1].versioning_configuration.status = 'Suspended'), /not Enabled/],
    ['IOT-AWS-006', 'aws_s3_bucket', (j) => only(j, 'aws_s3_bucket_lifecycle_configuration')[1].rule.shift(), /abort/],
    ['IOT-AWS-007', 'aws_s3_bucket', (j) => delete j.data.aws_iam_policy_document[docName(only(j, 'aws_s3_bucket_policy')[1].policy)].statement[0].condition, /SecureTransport/],
    ['IOT-AWS-007', 'aws_s3_bucket', (j) => j.data.aws_iam_policy_document[docName(only(j, 'aws_s3_bucket_policy')[1].policy)].statement[0].resources.pop(), /bucket\/\*/],
    ['IOT-AWS-008', 'aws_s3_bucket', (j) => (only(j, 'aws_s3_bucket_ownership_controls')[1].rule.object_ownership = 'ObjectWriter'), /BucketOwnerEnforced/],
    ['IOT-AWS-009', 'data.aws_iam_policy_document', (j) => policyDoc(j, 'aws_iam_policy', 'iot-dev-kinesis-producer').statement[0].actions.push('kinesis:*'), /wildcard action\(s\) kinesis:\*/],
    ['IOT-AWS-010', 'data.aws_iam_policy_document', (j) => (policyDoc(j, 'aws_iam_policy', 'iot-dev-kinesis-producer').statement[1].resources = ['*']), /wildcard resource\(s\) \*/],
    ['IOT-AWS-010', 'data.aws_iam_policy_document', (j) => (policyDoc(j, 'aws_iam_policy', 'iot-dev-kinesis-producer').statement[0].resources = ['arn:aws:kinesis:eu-west-1:123456789012:stream/*']), /stream\/\*/],
    ['IOT-AWS-011', 'data.aws_iam_policy_document', (j) => policyDoc(j, 'aws_iam_role', 'iot-dev-databricks-cluster', 'assume_role_policy').statement[0].principals.push({ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }), /without an sts:ExternalId/],
    ['IOT-AWS-014', 'aws_cloudwatch_metric_alarm', (j) => {
      for (const a of Object.values(j.resource.aws_cloudwatch_metric_alarm) as Json[]) a.treat_missing_data = 'breaching';
    }, /fires whenever no consumer runs/],
    ['IOT-AWS-013', 'aws_sns_topic', (j) => (j.resource.aws_sns_topic = { t: { name: 'plain' } }), /not encrypted/],
    ['IOT-AWS-013', 'aws_sns_topic', (j) => (j.resource.aws_sns_topic = { t: { name: 'managed', kms_master_key_id: 'alias/aws/sns' } }), /alias\/aws\/sns/],
    [
      'IOT-AWS-012',
      'aws_iam_role_policy',
      (j) => {
        const [, body] = Object.entries(j.resource.aws_iam_role_policy)[0] as [string, Json];
        body.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }] });
      },
      /hand-written JSON/,
    ],
    [
      'IOT-AWS-012',
      'aws_iam_role_policy',
      (j) => {
        const [, body] = Object.entries(j.resource.aws_iam_role_policy)[0] as [string, Json];
        body.policy = '${jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }] })}';
      },
      /expression no rule can read/,
    ],
  ])('%s flags %s on a weakened copy', (ruleId, addressPrefix, weaken, message) => {
    const findings = findingsAfter(ruleId, weaken);
    expect(findings).toEqual([expect.objectContaining({ ruleId, address: expect.stringMatching(new RegExp(`^${addressPrefix}\\.`)), message: expect.stringMatching(message) })]);
    expect(findings[0].severity).toBe(ALL_RULES.find((r) => r.id === ruleId)!.severity);
  });

  it('reads hand-written JSON policies too, so a wildcard cannot hide in a string', () => {
    const findings = findingsAfter('IOT-AWS-009', (j) => {
      const [, body] = Object.entries(j.resource.aws_iam_role_policy)[0] as [string, Json];
      body.policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    });
    expect(findings).toEqual([expect.objectContaining({ address: expect.stringMatching(/^aws_iam_role_policy\..+\.policy$/), checkov: 'CKV_AWS_49, CKV_AWS_63' })]);
  });

  it('reads a document referenced by its minified_json like one referenced by its json', () => {
    const findings = findingsAfter('IOT-AWS-011', (j) => {
      // The UC roles live in the Databricks stack: the cluster role's trust admits an account, unconditioned.
      const [, role] = named(j, 'aws_iam_role', 'iot-dev-databricks-cluster');
      role.assume_role_policy = role.assume_role_policy.replace(/\.json\}$/, '.minified_json}');
      j.data.aws_iam_policy_document[docName(role.assume_role_policy)].statement[0].principals.push({ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] });
    });
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringMatching(/without an sts:ExternalId/) })]);
  });

  it('lets an action that takes no resource ARN stand alone on *, and nothing more', () => {
    const metricsRead = () => policyDoc(dev, 'aws_iam_policy', 'iot-dev-stream-metrics-reader').statement[0];
    expect(metricsRead()).toMatchObject({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] });
    expect(findingsAfter('IOT-AWS-010', () => {})).toEqual([]);
    // Another action in the same statement, or GetMetricData next to a scoped resource's action, is a finding.
    const mixed = findingsAfter('IOT-AWS-010', (j) => policyDoc(j, 'aws_iam_policy', 'iot-dev-stream-metrics-reader').statement[0].actions.push('kinesis:GetRecords'));
    expect(mixed).toEqual([expect.objectContaining({ message: expect.stringMatching(/wildcard resource\(s\) \*/) })]);
    const other = findingsAfter('IOT-AWS-010', (j) => (policyDoc(j, 'aws_iam_policy', 'iot-dev-stream-metrics-reader').statement[0].actions = ['cloudwatch:GetMetricStatistics']));
    expect(other).toHaveLength(1);
    // On * only: an ARN with a wildcard is not "the only resource the action takes".
    const arn = findingsAfter('IOT-AWS-010', (j) => (policyDoc(j, 'aws_iam_policy', 'iot-dev-stream-metrics-reader').statement[0].resources = ['arn:aws:cloudwatch:*:*:*']));
    expect(arn).toHaveLength(1);
  });

  it('exempts only the KMS key policy from the wildcard rules', () => {
    const findings = findingsAfter('IOT-AWS-009', (j) => {
      // The same kms:* statement moved from the key policy into a role's inline policy is a finding.
      const key = j.data.aws_iam_policy_document[docName(only(j, 'aws_kms_key')[1].policy)].statement[0];
      policyDoc(j, 'aws_iam_policy', 'iot-dev-kinesis-producer').statement.push({ ...key, principals: undefined });
    });
    expect(findings).toHaveLength(1);
  });

  it('lists findings most severe first, with the rule ids of public scanners', () => {
    const copy = structuredClone(dev);
    only(copy, 'aws_s3_bucket_versioning')[1].versioning_configuration.status = 'Suspended';
    only(copy, 'aws_s3_bucket_public_access_block')[1].block_public_acls = false;
    only(copy, 'aws_kinesis_stream')[1].encryption_type = 'NONE';
    const findings = evaluateStack(copy);
    expect(findings.map((f) => [f.ruleId, f.severity, f.checkov, f.trivy])).toEqual([
      ['IOT-AWS-003', 'CRITICAL', 'CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56', undefined],
      ['IOT-AWS-002', 'HIGH', 'CKV_AWS_185', 'AVD-AWS-0064'],
      ['IOT-AWS-005', 'MEDIUM', 'CKV_AWS_21', undefined],
    ]);
  });
});

describe('Unity Catalog role rules on the Databricks stack (where the UC roles live)', () => {
  let dbx: Synthesized;
  beforeAll(() => (dbx = synthDatabricks(testConfig({ cluster: { accessMode: 'standard' } }))));
  afterAll(() => rmSync(dbx.outdir, { recursive: true, force: true }));

  const storageRole = (j: Json) => (Object.entries(j.resource.aws_iam_role) as [string, Json][]).find(([, r]) => r.name === 'iot-dev-uc-storage')!;
  const docOf = (j: Json, ref: string) => j.data.aws_iam_policy_document[docName(ref)];
  const weakened = (weaken: (j: Json) => void) => {
    const copy = structuredClone(dbx.json);
    weaken(copy);
    return evaluateStack(copy).filter((f) => f.ruleId.startsWith('IOT-AWS-'));
  };

  it('find nothing on our roles', () => {
    expect(evaluateStack(dbx.json)).toEqual([]);
  });

  it('IOT-AWS-015 flags a UC storage role without s3:ListBucketMultipartUploads', () => {
    const findings = weakened((j) => {
      const [name] = storageRole(j);
      const policy = (Object.values(j.resource.aws_iam_role_policy) as Json[]).find((p) => p.role === `\${aws_iam_role.${name}.id}`)!;
      const level = docOf(j, policy.policy).statement.find((st: Json) => st.sid === 'BucketLevel');
      level.actions = ['s3:GetBucketLocation'];
    });
    expect(findings).toEqual([
      expect.objectContaining({ ruleId: 'IOT-AWS-015', address: `aws_iam_role.${storageRole(dbx.json)[0]}`, message: 'Unity Catalog storage role lacks s3:ListBucketMultipartUploads' }),
    ]);
  });

  it('IOT-AWS-016 flags a UC trust policy with a fixed external id (the account id works only for account admins)', () => {
    const findings = weakened((j) => {
      for (const st of docOf(j, storageRole(j)[1].assume_role_policy).statement) {
        st.condition = st.condition.map((c: Json) => (c.variable === 'sts:ExternalId' ? { ...c, values: ['0d26daa6-5e44-4c97-a497-ef015f91254a'] } : c));
      }
    });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ['IOT-AWS-016', 'HIGH'],
      ['IOT-AWS-016', 'HIGH'],
    ]);
  });
});

describe('load fleet rules on the fleet stack (repository, logs, job definition, its roles)', () => {
  let fleet: Json;
  beforeAll(() => {
    const app = synthApp(fleetConfig('dev'));
    fleet = app.stacks['iot-loadgen-dev'];
    rmSync(app.outdir, { recursive: true, force: true });
  });

  const first = (j: Json, type: string): Json => Object.values(j.resource[type] as Record<string, Json>)[0];
  /** Rewrites the job definition's container properties. */
  const editContainer = (j: Json, edit: (props: Json) => void) => {
    const definition = first(j, 'aws_batch_job_definition');
    const props = JSON.parse(definition.container_properties);
    edit(props);
    definition.container_properties = JSON.stringify(props);
  };
  const executionDoc = (j: Json) => policyDocOf(j, 'iot-dev-loadgen-execution');
  function policyDocOf(j: Json, roleName: string): Json {
    const [roleAddress] = named(j, 'aws_iam_role', roleName);
    const policy = (Object.values(j.resource.aws_iam_role_policy) as Json[]).find((p) => p.role === `\${${roleAddress}.id}`)!;
    return j.data.aws_iam_policy_document[docName(policy.policy)];
  }
  const findingsAfter = (ruleId: string, weaken: (j: Json) => void) => {
    const copy = structuredClone(fleet);
    weaken(copy);
    return evaluateStack(copy).filter((f) => f.ruleId === ruleId);
  };

  it('find nothing on the stack as built, whose one * is the registry login', () => {
    expect(evaluateStack(fleet)).toEqual([]);
    expect(extractIamStatements(fleet).filter((s) => s.documentRole !== 'key' && s.resources.includes('*')).map((s) => s.actions)).toEqual([['ecr:GetAuthorizationToken']]);
  });

  it.each<[string, string, (j: Json) => void, RegExp]>([
    ['IOT-AWS-017', 'aws_ecr_repository', (j) => (first(j, 'aws_ecr_repository').encryption_configuration[0].encryption_type = 'AES256'), /not KMS-encrypted \(encryption_type "AES256"\)/],
    ['IOT-AWS-017', 'aws_ecr_repository', (j) => delete first(j, 'aws_ecr_repository').encryption_configuration, /not KMS-encrypted/],
    ['IOT-AWS-017', 'aws_ecr_repository', (j) => (first(j, 'aws_ecr_repository').encryption_configuration[0].kms_key = 'alias/aws/ecr'), /AWS-managed key/],
    ['IOT-AWS-018', 'aws_ecr_repository', (j) => (first(j, 'aws_ecr_repository').image_tag_mutability = 'MUTABLE'), /image tags are mutable/],
    ['IOT-AWS-019', 'aws_ecr_repository', (j) => (first(j, 'aws_ecr_repository').image_scanning_configuration.scan_on_push = false), /not scanned on push/],
    ['IOT-AWS-020', 'aws_cloudwatch_log_group', (j) => delete first(j, 'aws_cloudwatch_log_group').kms_key_id, /not encrypted with a CMK/],
    ['IOT-AWS-021', 'aws_cloudwatch_log_group', (j) => (first(j, 'aws_cloudwatch_log_group').retention_in_days = 0), /keeps events forever/],
    ['IOT-AWS-022', 'aws_batch_job_definition', (j) => editContainer(j, (p) => delete p.logConfiguration), /instead of awslogs/],
    ['IOT-AWS-022', 'aws_batch_job_definition', (j) => editContainer(j, (p) => (p.logConfiguration.options['awslogs-group'] = '/aws/batch/job')), /"\/aws\/batch\/job" is not a log group this stack manages/],
    ['IOT-AWS-022', 'aws_batch_job_definition', (j) => (first(j, 'aws_batch_job_definition').container_properties = '${jsonencode({ image = "x" })}'), /expression no rule can read/],
    ['IOT-AWS-023', 'aws_batch_job_definition', (j) => editContainer(j, (p) => p.environment.push({ name: 'AWS_SECRET_ACCESS_KEY', value: 'x' })), /AWS_SECRET_ACCESS_KEY carries a credential/],
    ['IOT-AWS-023', 'aws_batch_job_definition', (j) => editContainer(j, (p) => p.environment.push({ name: 'KEY_ID', value: 'AKIAABCDEFGHIJKLMNOP' })), /KEY_ID carries a credential/],
    ['IOT-AWS-010', 'data.aws_iam_policy_document', (j) => executionDoc(j).statement.find((st: Json) => st.sid === 'RegistryLogin').actions.push('ecr:BatchGetImage'), /wildcard resource\(s\) \*/],
    ['IOT-AWS-010', 'data.aws_iam_policy_document', (j) => (executionDoc(j).statement.find((st: Json) => st.sid === 'RepositoryPull').resources = ['*']), /wildcard resource\(s\) \*/],
    ['IOT-AWS-010', 'data.aws_iam_policy_document', (j) => (policyDocOf(j, 'iot-dev-loadgen-job').statement.find((st: Json) => st.sid === 'BucketObjectsWrite').resources = ['arn:aws:s3:::*']), /arn:aws:s3:::\*/],
  ])('%s flags %s on a weakened copy', (ruleId, addressPrefix, weaken, message) => {
    const findings = findingsAfter(ruleId, weaken);
    expect(findings).toEqual([expect.objectContaining({ ruleId, address: expect.stringMatching(new RegExp(`^${addressPrefix}\\.`)), message: expect.stringMatching(message) })]);
  });

  it('does not read an ECR lifecycle policy as an IAM policy, but still reads an IAM policy hidden in an expression', () => {
    expect(findingsAfter('IOT-AWS-012', () => undefined)).toEqual([]);
    const hidden = findingsAfter('IOT-AWS-012', (j) => (first(j, 'aws_iam_role_policy').policy = '${jsonencode({ Statement = [] })}'));
    expect(hidden).toEqual([expect.objectContaining({ message: expect.stringMatching(/expression no rule can read/) })]);
  });
});

describe('rule catalogue', () => {
  it('has unique ids, a severity from SEVERITY_ORDER and a description per rule', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) {
      expect(SEVERITY_ORDER).toContain(rule.severity);
      expect(rule.description.length).toBeGreaterThan(10);
    }
    expect(ids.filter((id) => id.startsWith('IOT-AWS-')).sort()).toEqual(Array.from({ length: 23 }, (_, i) => `IOT-AWS-${String(i + 1).padStart(3, '0')}`));
  });
});

describe('extractIamStatements', () => {
  let dev: Json;
  beforeAll(() => ({ json: dev } = synthAws('dev')));

  it('says what each document is used as', () => {
    const roles = new Map<string, Set<string>>();
    for (const s of extractIamStatements(dev)) roles.set(s.documentRole, new Set([...(roles.get(s.documentRole) ?? []), s.address]));
    expect(Object.fromEntries([...roles].map(([role, docs]) => [role, docs.size]))).toEqual({ output: 1, inline: 1, trust: 1, key: 1, bucket: 1, managed: 3 });
  });

  it('keeps sid, effect, principals and conditions in the data-source shape', () => {
    const tls = extractIamStatements(dev).find((s) => s.documentRole === 'bucket')!;
    expect(tls).toMatchObject({
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
      actions: ['s3:*'],
      principals: [{ type: '*', identifiers: ['*'] }],
      conditions: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      usedBy: [expect.stringMatching(/^aws_s3_bucket_policy\./)],
    });
  });

  it('normalizes a literal JSON policy (Principal, Condition, single-string Action)', () => {
    const stack = {
      resource: {
        aws_iam_role: {
          r: {
            assume_role_policy: JSON.stringify({
              Statement: [{ Sid: 'X', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } }],
            }),
          },
        },
      },
    };
    expect(extractIamStatements(stack)).toEqual([
      {
        address: 'aws_iam_role.r.assume_role_policy',
        documentRole: 'trust',
        usedBy: ['aws_iam_role.r'],
        sid: 'X',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        resources: [],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
        conditions: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['abc'] }],
      },
    ]);
  });
});

describe('isWildcardResource', () => {
  it.each([
    ['*', true],
    ['arn:aws:s3:::*', true],
    ['arn:aws:kinesis:eu-west-1:123456789012:stream/*', true],
    ['arn:aws:kinesis:eu-west-1:*:stream/s', true],
    ['arn:aws:s3:::lake/*', false],
    ['arn:aws:kinesis:eu-west-1:123456789012:stream/s', false],
    ['${aws_s3_bucket.b.arn}/*', false],
    ['${aws_kinesis_stream.s.arn}/consumer/*', false],
  ])('%s -> %s', (resource, wild) => {
    expect(isWildcardResource(resource)).toBe(wild);
  });
});
