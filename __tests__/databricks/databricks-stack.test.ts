import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabricksStack, PROCESSOR_NOTEBOOK_FILE } from '../../stacks/databricks-stack';
import { App } from 'cdktf';
import { extractIamStatements } from '../../policy/iam-statements';
import { inspectNotebook } from './notebook-inspection';
import { LITERAL_AWS, only, synthDatabricks, testConfig, type Json, type Synthesized } from './stack-fixtures';

const FAKE_TOKEN = 'dapi0123456789abcdef0123456789abcdef';

/** Inline permission statements of the role at `roleAddress`. */
function statementsOfRole(json: Json, roleAddress: string) {
  const policies = Object.entries(json.resource.aws_iam_role_policy as Record<string, Json>)
    .filter(([, p]) => String(p.role).startsWith(`\${${roleAddress}.`))
    .map(([name]) => `aws_iam_role_policy.${name}`);
  return extractIamStatements(json).filter((st) => st.documentRole === 'inline' && st.usedBy.some((u) => policies.includes(u)));
}
const FAKE_HOST = 'dbc-test-workspace.cloud.databricks.com';

describe('Databricks stack', () => {
  let dedicated: Synthesized;
  let standard: Synthesized;

  beforeAll(() => {
    // Credentials in the environment, as at plan time: they must not leak into the synthesized JSON.
    const saved = { ...process.env };
    Object.assign(process.env, { DATABRICKS_HOST: `https://${FAKE_HOST}`, DATABRICKS_TOKEN: FAKE_TOKEN });
    try {
      dedicated = synthDatabricks(testConfig({}, { mode: 'PROVISIONED', shardCount: 10 }));
      standard = synthDatabricks(
        testConfig({
          cluster: { accessMode: 'standard', minWorkers: 2, maxWorkers: 5 },
          alerts: { email: 'oncall@example.com', backlogSeconds: 120 },
          unityCatalog: {
            catalog: 'iot', createCatalog: true, schema: 'iot_dev', readerPrincipal: 'iot-analysts',
            storageCredentialName: 'existing-lake-credential',
          },
          warehouse: { existingId: '0123456789abcdef' },
          thresholds: { criticalRule: 'temperature_or_status', criticalTemperatureC: 30 },
        }),
      );
    } finally {
      process.env = saved;
    }
  });
  afterAll(() => {
    for (const s of [dedicated, standard]) rmSync(s.outdir, { recursive: true, force: true });
  });

  describe('secrets and portability', () => {
    it('keeps provider credentials out of the synthesized JSON', () => {
      for (const s of [dedicated, standard]) {
        expect(s.json.provider.databricks).toEqual([{}]);
        expect(Object.keys(s.json.provider.aws[0]).sort()).toEqual(['default_tags', 'region']);
        expect(s.text).not.toContain(FAKE_TOKEN);
        expect(s.text).not.toContain(FAKE_HOST);
        expect(s.text).not.toMatch(/"(token|password|client_secret|azure_client_secret)"\s*:/);
      }
    });

    it('uploads the notebook by source from an asset packaged with the stack, with no absolute path', () => {
      const notebook = only(dedicated.json, 'databricks_notebook');
      expect(notebook.content_base64).toBeUndefined();
      expect(notebook).toMatchObject({ language: 'PYTHON', path: '/Shared/iot-streaming/dev/iot_stream_processor' });
      expect(notebook.source).toMatch(/^assets\/[^/]+\/[^/]+\/iot_stream_processor\.py$/);
      const packaged = readFileSync(join(dedicated.outdir, 'stacks', 'iot-databricks-dev', notebook.source), 'utf8');
      expect(packaged).toBe(readFileSync(PROCESSOR_NOTEBOOK_FILE, 'utf8'));
      expect(dedicated.text).not.toContain(dedicated.outdir);
      expect(dedicated.text).not.toContain(process.cwd());
    });
  });

  describe('streaming job', () => {
    it('runs as a continuous job on its own job cluster, one run at a time, restarted when a deploy changes it', () => {
      const job = only(dedicated.json, 'databricks_job');
      expect(job.name).toBe('iot-dev-stream-processor');
      expect(job.continuous).toEqual({ pause_status: 'UNPAUSED' });
      expect(job.control_run_state).toBe(true);
      expect(job.max_concurrent_runs).toBe(1);
      expect(job.existing_cluster_id).toBeUndefined();
      expect(job.task).toHaveLength(1);
      const [task] = job.task;
      expect(task.existing_cluster_id).toBeUndefined();
      expect(task.job_cluster_key).toBe(job.job_cluster[0].job_cluster_key);
      expect(task.notebook_task).toMatchObject({
        notebook_path: expect.stringMatching(/^\$\{databricks_notebook\.[^.]+\.path\}$/),
        source: 'WORKSPACE',
      });
    });

    it('takes runtime and node type from data sources, the instance profile, and workers from the shard count', () => {
      const cluster = only(dedicated.json, 'databricks_job').job_cluster[0].new_cluster;
      expect(cluster.spark_version).toMatch(/^\$\{data\.databricks_spark_version\.[^.]+\.id\}$/);
      expect(cluster.node_type_id).toMatch(/^\$\{data\.databricks_node_type\.[^.]+\.id\}$/);
      expect(only(dedicated.json, 'databricks_spark_version', 'data')).toMatchObject({ latest: true, long_term_support: true });
      expect(only(dedicated.json, 'databricks_node_type', 'data')).toMatchObject({ local_disk: true, min_cores: 4 });
      expect(cluster.data_security_mode).toBe('SINGLE_USER');
      expect(cluster.aws_attributes.instance_profile_arn).toMatch(/^\$\{databricks_instance_profile\.[^.]+\.id\}$/);
      expect(only(dedicated.json, 'databricks_instance_profile').instance_profile_arn).toBe(LITERAL_AWS.instanceProfileArn);
      // 10 shards at 4 per worker.
      expect(cluster.autoscale).toEqual({ min_workers: 1, max_workers: 3 });
      expect(dedicated.json.resource.databricks_credential).toBeUndefined();
    });

    it('runs as the configured identity, and the dedicated cluster belongs to it, whoever deploys', () => {
      const job = only(dedicated.json, 'databricks_job');
      expect(job.run_as).toEqual({ service_principal_name: '0d26daa6-5e44-4c97-a497-ef015f91254a' });
      expect(job.job_cluster[0].new_cluster.single_user_name).toBe('0d26daa6-5e44-4c97-a497-ef015f91254a');
      expect(dedicated.json.data.databricks_current_user).toBeUndefined();
      const byUser = synthDatabricks(testConfig({ runAs: { user: 'stream-bot@example.com' } }));
      try {
        const userJob = only(byUser.json, 'databricks_job');
        expect(userJob.run_as).toEqual({ user_name: 'stream-bot@example.com' });
        expect(userJob.job_cluster[0].new_cluster.single_user_name).toBe('stream-bot@example.com');
      } finally {
        rmSync(byUser.outdir, { recursive: true, force: true });
      }
    });

    it('passes every notebook widget as a base parameter, and nothing else', () => {
      const widgets = Object.keys(inspectNotebook().widgetDefaults).sort();
      for (const s of [dedicated, standard]) {
        const params = only(s.json, 'databricks_job').task[0].notebook_task.base_parameters as Record<string, unknown>;
        expect(Object.keys(params).sort()).toEqual(widgets);
        for (const v of Object.values(params)) expect(typeof v).toBe('string');
      }
      const params = only(dedicated.json, 'databricks_job').task[0].notebook_task.base_parameters;
      expect(params).toMatchObject({
        stream_name: LITERAL_AWS.streamName,
        region: LITERAL_AWS.region,
        auth_mode: 'instance_profile',
        service_credential: '',
        role_arn: '',
        catalog: expect.stringMatching(/^\$\{data\.databricks_catalog\.[^.]+\.name\}$/),
        schema: expect.stringMatching(/^\$\{databricks_schema\.[^.]+\.name\}$/),
        processed_table: 'iot_sensor_processed',
        checkpoint_base: expect.stringMatching(/^\$\{databricks_volume\.[^.]+\.volume_path\}\/processor$/),
        // The PoC's rule by default: strictly above 28 C, status ignored.
        critical_rule: 'temperature',
        critical_temperature_c: '28',
      });
      // The deviation is a setting, and reaches the notebook as one.
      const params2 = only(standard.json, 'databricks_job').task[0].notebook_task.base_parameters;
      expect(params2).toMatchObject({ critical_rule: 'temperature_or_status', critical_temperature_c: '30' });
    });

    it('reads Kinesis through a Unity Catalog service credential on a standard-mode cluster, with no instance profile registered', () => {
      const cluster = only(standard.json, 'databricks_job').job_cluster[0].new_cluster;
      expect(cluster.data_security_mode).toBe('USER_ISOLATION');
      expect(cluster.single_user_name).toBeUndefined();
      expect(cluster.aws_attributes.instance_profile_arn).toBeUndefined();
      expect(cluster.autoscale).toEqual({ min_workers: 2, max_workers: 5 });
      expect(standard.json.resource.databricks_instance_profile).toBeUndefined();
      const credential = only(standard.json, 'databricks_credential');
      expect(credential).toMatchObject({
        purpose: 'SERVICE',
        name: 'iot-dev-kinesis',
        aws_iam_role: { role_arn: expect.stringMatching(/:iam::\$\{data\.aws_caller_identity\.[^.]+\.account_id\}:role\/iot-dev-uc-kinesis$/) },
      });
      const params = only(standard.json, 'databricks_job').task[0].notebook_task.base_parameters;
      expect(params.auth_mode).toBe('service_credential');
      expect(params.service_credential).toMatch(/^\$\{databricks_credential\.[^.]+\.name\}$/);
      // The first run starts on creation: only once the credential's role can be assumed.
      expect(only(standard.json, 'databricks_job').depends_on).toEqual([expect.stringMatching(/^time_sleep\.kinesis-credential_iam-propagation/)]);
    });

    it("gives the service credential's role stream reads and decrypt only, scoped to the AWS stack's stream and key", () => {
      const role = (Object.entries(standard.json.resource.aws_iam_role) as [string, Json][]).find(([, r]) => r.name === 'iot-dev-uc-kinesis')!;
      const statements = statementsOfRole(standard.json, `aws_iam_role.${role[0]}`);
      expect(statements.map((st) => [st.sid, st.actions, st.resources])).toEqual([
        ['AssumeSelf', ['sts:AssumeRole'], [expect.stringMatching(/:role\/iot-dev-uc-kinesis$/)]],
        ['StreamRead', ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'], [LITERAL_AWS.streamArn]],
        ['KeyDecrypt', ['kms:Decrypt'], [LITERAL_AWS.kmsKeyArn]],
      ]);
    });

    it('notifies and watches the streaming backlog only when an email is configured', () => {
      const quiet = only(dedicated.json, 'databricks_job');
      expect(quiet.email_notifications).toBeUndefined();
      expect(quiet.health).toBeUndefined();
      const loud = only(standard.json, 'databricks_job');
      expect(loud.email_notifications).toEqual({
        on_failure: ['oncall@example.com'],
        on_streaming_backlog_exceeded: ['oncall@example.com'],
      });
      expect(loud.health.rules).toEqual([{ metric: 'STREAMING_BACKLOG_SECONDS', op: 'GREATER_THAN', value: 120 }]);
    });

    it('sizes an on-demand stream from the configured estimate', () => {
      const config = testConfig({ cluster: { onDemandShardEstimate: 12 } }, { mode: 'ON_DEMAND', shardCount: undefined });
      const onDemand = synthDatabricks(config);
      try {
        expect(only(onDemand.json, 'databricks_job').job_cluster[0].new_cluster.autoscale).toEqual({ min_workers: 1, max_workers: 3 });
      } finally {
        rmSync(onDemand.outdir, { recursive: true, force: true });
      }
    });

    it('refuses autoscale bounds that cannot hold', () => {
      const config = testConfig({ cluster: { minWorkers: 4 } });
      const bad = { ...config, databricks: { ...config.databricks, cluster: { ...config.databricks.cluster, maxWorkers: 3 } } };
      expect(() => new DatabricksStack(new App(), 'bad', { config: bad, aws: LITERAL_AWS })).toThrow(
        'databricks.cluster.maxWorkers must be an integer >= minWorkers (4), got 3',
      );
    });
  });

  describe('Unity Catalog', () => {
    it('creates the storage credential first, on the ARN its role will have, without validating a role that does not exist yet', () => {
      const credential = only(dedicated.json, 'databricks_storage_credential');
      expect(credential).toMatchObject({ name: 'iot-dev-lake', skip_validation: true });
      expect(credential.aws_iam_role).toEqual({
        role_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\.[^.]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[^.]+\.account_id\}:role\/iot-dev-uc-storage$/),
      });
      expect(credential.depends_on).toBeUndefined();
    });

    it("trusts the credential's own generated external id in the UC role, not the account id: works for a deployer who is not an account admin", () => {
      const [roleAddress] = (Object.entries(dedicated.json.resource.aws_iam_role) as [string, Json][]).find(([, r]) => r.name === 'iot-dev-uc-storage')!;
      const trust = extractIamStatements(dedicated.json).filter((st) => st.usedBy.includes(`aws_iam_role.${roleAddress}`));
      const fromCredential = expect.stringMatching(/^\$\{databricks_storage_credential\.[^.]+\.aws_iam_role\[0\]\.external_id\}$/);
      expect(trust.map((st) => [st.sid, st.principals[0].identifiers[0], st.conditions.find((c) => c.variable === 'sts:ExternalId')?.values])).toEqual([
        ['UnityCatalogAssumeRole', 'arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL', [fromCredential]],
        ['ExplicitSelfRoleAssumption', expect.stringMatching(/:root$/), [fromCredential]],
      ]);
    });

    it("grants the storage role Databricks' UC action set on the AWS stack's bucket and key", () => {
      const [roleAddress] = (Object.entries(dedicated.json.resource.aws_iam_role) as [string, Json][]).find(([, r]) => r.name === 'iot-dev-uc-storage')!;
      const granted = statementsOfRole(dedicated.json, `aws_iam_role.${roleAddress}`);
      expect(Object.fromEntries(granted.map((st) => [st.sid, [st.actions.sort(), st.resources]]))).toEqual({
        AssumeSelf: [['sts:AssumeRole'], [expect.stringMatching(/:role\/iot-dev-uc-storage$/)]],
        BucketLevel: [['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], [LITERAL_AWS.bucketArn]],
        BucketList: [['s3:ListBucket'], [LITERAL_AWS.bucketArn]],
        BucketObjects: [['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], [`${LITERAL_AWS.bucketArn}/*`]],
        KeyEncryptDecrypt: [['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], [LITERAL_AWS.kmsKeyArn]],
      });
    });

    it('creates the external location, which Databricks validates, only after the role and its policy had time to propagate', () => {
      const sleep = Object.entries(dedicated.json.resource.time_sleep as Record<string, Json>).find(([name]) => name.startsWith('storage-credential_'))!;
      expect(sleep[1].create_duration).toBe('20s');
      expect(sleep[1].depends_on).toEqual([expect.stringMatching(/^aws_iam_role\.storage-credential_role_/), expect.stringMatching(/^aws_iam_role_policy\.storage-credential_role_policy_/)]);
      const location = only(dedicated.json, 'databricks_external_location');
      expect(location).toMatchObject({
        url: LITERAL_AWS.bucketUrl,
        credential_name: expect.stringMatching(/^\$\{databricks_storage_credential\.[^.]+\.name\}$/),
        encryption_details: { sse_encryption_details: { algorithm: 'AWS_SSE_KMS', aws_kms_key_arn: LITERAL_AWS.kmsKeyArn } },
        depends_on: [`time_sleep.${sleep[0]}`],
      });
      expect(location.skip_validation).toBeUndefined();
    });

    it('creates the schema with its managed location on the external location, and a checkpoint volume', () => {
      const schema = only(dedicated.json, 'databricks_schema');
      expect(schema).toMatchObject({ name: 'iot_dev', storage_root: 's3://iot-dev-lake/unity-catalog/schemas/iot_dev' });
      // dev.json lets destroy drop the bucket, so the schema goes with the job's tables too.
      expect(schema.force_destroy).toBe(true);
      expect(only(dedicated.json, 'databricks_external_location').force_destroy).toBe(true);
      expect(schema.depends_on).toEqual([expect.stringMatching(/^databricks_external_location\./)]);
      expect(only(dedicated.json, 'databricks_volume')).toMatchObject({ name: 'checkpoints', volume_type: 'MANAGED' });
    });

    it('grants the reader principal read access only, and nothing on an existing catalog unless asked (that needs MANAGE)', () => {
      const grants = (Object.values(dedicated.json.resource.databricks_grants) as Json[]).flatMap((g) => g.grant as Json[]);
      for (const g of grants) expect(g.principal).toBe('iot-analysts');
      expect(grants.flatMap((g) => g.privileges as string[]).sort()).toEqual(['READ_VOLUME', 'SELECT', 'USE_SCHEMA']);
      expect(only(dedicated.json, 'databricks_catalog', 'data').name).toBe('main');
      expect(dedicated.json.resource.databricks_catalog).toBeUndefined();
      expect(dedicated.json.resource.databricks_grant).toBeUndefined();
      const granting = synthDatabricks(testConfig({ unityCatalog: { catalog: 'main', schema: 'iot_dev', readerPrincipal: 'iot-analysts', grantCatalogUse: true } }));
      try {
        expect(only(granting.json, 'databricks_grant')).toMatchObject({
          catalog: expect.stringMatching(/^\$\{data\.databricks_catalog\./),
          principal: 'iot-analysts',
          privileges: ['USE_CATALOG'],
        });
      } finally {
        rmSync(granting.outdir, { recursive: true, force: true });
      }
    });

    it('keeps the tables of a stage whose lake is protected: no force_destroy on schema or catalog', () => {
      const config = testConfig({ unityCatalog: { catalog: 'iot', createCatalog: true, schema: 'iot_prod', readerPrincipal: 'iot-analysts' } });
      const kept = synthDatabricks({ ...config, lake: { ...config.lake, forceDestroy: false } });
      try {
        expect(only(kept.json, 'databricks_schema').force_destroy).toBe(false);
        expect(only(kept.json, 'databricks_external_location').force_destroy).toBe(false);
        expect(only(kept.json, 'databricks_catalog').force_destroy).toBe(false);
      } finally {
        rmSync(kept.outdir, { recursive: true, force: true });
      }
    });

    it('creates the catalog and reuses an existing storage credential when configured', () => {
      expect(only(standard.json, 'databricks_catalog')).toMatchObject({
        name: 'iot',
        storage_root: 's3://iot-dev-lake/unity-catalog/catalog',
      });
      expect(standard.json.resource.databricks_grant).toBeUndefined();
      expect(standard.json.resource.databricks_storage_credential).toBeUndefined();
      expect(only(standard.json, 'databricks_storage_credential', 'data').name).toBe('existing-lake-credential');
      expect(only(standard.json, 'databricks_external_location').credential_name).toMatch(/^\$\{data\.databricks_storage_credential\./);
      // Its role is the credential owner's: no UC storage role here.
      expect((Object.values(standard.json.resource.aws_iam_role) as Json[]).map((r) => r.name)).toEqual(['iot-dev-uc-kinesis']);
    });
  });

  describe('analytics', () => {
    it('saves both analysis queries with catalog/schema/table parameter defaults from config', () => {
      const queries = Object.values(dedicated.json.resource.databricks_query) as Json[];
      expect(queries).toHaveLength(2);
      for (const q of queries) {
        expect(q.warehouse_id).toMatch(/^\$\{databricks_sql_endpoint\.[^.]+\.id\}$/);
        expect(q.query_text).toContain("IDENTIFIER(:catalog || '.' || :schema || '.' || :processed_table)");
        expect(Object.fromEntries((q.parameter as Json[]).map((p) => [p.name, p.text_value.value]))).toEqual({
          catalog: 'main',
          schema: 'iot_dev',
          processed_table: 'iot_sensor_processed',
        });
      }
      expect(only(dedicated.json, 'databricks_sql_endpoint')).toMatchObject({
        enable_serverless_compute: true,
        cluster_size: '2X-Small',
        auto_stop_mins: 10,
      });
    });

    it('charts both on a Lakeview dashboard reading the configured table', () => {
      const dashboard = only(dedicated.json, 'databricks_dashboard');
      expect(dashboard.embed_credentials).toBe(false);
      const doc = JSON.parse(dashboard.serialized_dashboard);
      expect(doc.datasets).toHaveLength(2);
      for (const d of doc.datasets) expect(d.queryLines.join('')).toContain('`main`.`iot_dev`.`iot_sensor_processed`');
    });

    it('lets the reader use the warehouse and run the queries and the dashboard', () => {
      const permissions = (Object.values(dedicated.json.resource.databricks_permissions) as Json[]).map(({ '//': _metadata, ...p }) => p);
      const on = (attribute: string) => permissions.filter((p) => p[attribute] !== undefined);
      expect(on('sql_endpoint_id')).toEqual([
        { sql_endpoint_id: expect.stringMatching(/^\$\{databricks_sql_endpoint\./), access_control: [{ group_name: 'iot-analysts', permission_level: 'CAN_USE' }] },
      ]);
      expect(on('sql_query_id').map((p) => p.access_control)).toEqual([
        [{ group_name: 'iot-analysts', permission_level: 'CAN_RUN' }],
        [{ group_name: 'iot-analysts', permission_level: 'CAN_RUN' }],
      ]);
      const queryIds = Object.keys(dedicated.json.resource.databricks_query).map((name) => `\${databricks_query.${name}.id}`);
      expect(on('sql_query_id').map((p) => p.sql_query_id).sort()).toEqual(queryIds.sort());
      expect(on('dashboard_id')).toEqual([
        { dashboard_id: expect.stringMatching(/^\$\{databricks_dashboard\./), access_control: [{ group_name: 'iot-analysts', permission_level: 'CAN_RUN' }] },
      ]);
    });

    it("leaves an existing warehouse's permissions alone (databricks_permissions would replace them all)", () => {
      const permissions = Object.values(standard.json.resource.databricks_permissions) as Json[];
      expect(permissions.filter((p) => p.sql_endpoint_id !== undefined)).toEqual([]);
      expect(permissions).toHaveLength(3);
    });

    it('uses an existing SQL warehouse by id instead of creating one', () => {
      expect(standard.json.resource.databricks_sql_endpoint).toBeUndefined();
      expect(only(standard.json, 'databricks_sql_warehouse', 'data').id).toBe('0123456789abcdef');
      expect(only(standard.json, 'databricks_dashboard').warehouse_id).toMatch(/^\$\{data\.databricks_sql_warehouse\./);
    });
  });
});
