import { resolve } from 'node:path';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataDatabricksStorageCredential } from '@cdktf/provider-databricks/lib/data-databricks-storage-credential';
import { InstanceProfile } from '@cdktf/provider-databricks/lib/instance-profile';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import type { AppConfig } from '../config/schema';
import { AccountContext } from '../constructs/aws/arns';
import { grantStreamRead } from '../constructs/aws/kinesis-stream';
import { grantBucketReadWrite } from '../constructs/aws/secure-bucket';
import { FleetAnalytics } from '../constructs/databricks/analytics';
import { streamingAutoscale } from '../constructs/databricks/autoscale';
import { UnityCatalogAwsCredential } from '../constructs/databricks/aws-credential';
import { processorNotebookParameters } from '../constructs/databricks/processor-parameters';
import { StreamingJob } from '../constructs/databricks/streaming-job';
import { LakeStorage, type StorageCredentialRef } from '../constructs/databricks/unity-catalog';
import { addAwsProvider, PROJECT_TAG } from './aws-provider';
import type { AwsStackExports } from './aws-stack';
import { configureBackend } from './backend';

export const PROCESSOR_NOTEBOOK_FILE = resolve(__dirname, '../notebooks/iot_stream_processor.py');

/** The parts of the app config this stack reads. */
export type DatabricksStackConfig = Pick<AppConfig, 'stage' | 'region' | 'tags' | 'stream' | 'lake' | 'backend' | 'databricks'>;

/** The AWS stack's public resources this stack consumes. */
export type DatabricksAwsInputs = Pick<
  AwsStackExports,
  'region' | 'streamName' | 'streamArn' | 'kmsKeyArn' | 'bucketArn' | 'bucketUrl' | 'instanceProfileArn'
>;

export interface DatabricksStackProps {
  readonly config: DatabricksStackConfig;
  /** The AWS stack's resource attributes: passing them here makes CDKTF read them through remote state. */
  readonly aws: DatabricksAwsInputs;
}

/**
 * Unity Catalog on the lake bucket, the processor notebook as a continuous job, and the SQL analytics.
 * Also the IAM roles Unity Catalog assumes: each trusts the external id its credential was given, which
 * exists only once the credential does (see UnityCatalogAwsCredential), so role and credential share this
 * stack and a deploy needs AWS credentials besides DATABRICKS_HOST plus DATABRICKS_TOKEN (or
 * DATABRICKS_CLIENT_ID/DATABRICKS_CLIENT_SECRET), all from the environment at plan time, never from code.
 */
export class DatabricksStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: DatabricksStackProps) {
    super(scope, id);
    const { config, aws } = props;
    const dbx = config.databricks;
    const prefix = `iot-${config.stage}`;
    const tags = { project: PROJECT_TAG, stage: config.stage, 'managed-by': 'cdktf' };

    new DatabricksProvider(this, 'databricks', {});
    addAwsProvider(this, config);
    new TimeProvider(this, 'time', {});
    configureBackend(this, id, config);

    const account = new AccountContext(this, 'account');
    const lakeRef = { bucketArn: aws.bucketArn, keyArn: aws.kmsKeyArn };
    const streamRef = { streamArn: aws.streamArn, keyArn: aws.kmsKeyArn };

    const storageCredential: StorageCredentialRef = dbx.unityCatalog.storageCredentialName
      ? // An existing credential: its role's access to the bucket is its owner's business.
        { name: new DataDatabricksStorageCredential(this, 'storage-credential', { name: dbx.unityCatalog.storageCredentialName }).name }
      : new UnityCatalogAwsCredential(this, 'storage-credential', {
          account,
          purpose: 'STORAGE',
          name: `${prefix}-lake`,
          roleName: `${prefix}-uc-storage`,
          comment: 'Unity Catalog storage credential: the IoT Delta Lake bucket (managed by CDKTF)',
          grant: (role) => grantBucketReadWrite(role, lakeRef),
        });

    const lake = new LakeStorage(this, 'lake', {
      namePrefix: prefix,
      bucketUrl: aws.bucketUrl,
      kmsKeyArn: aws.kmsKeyArn,
      storageCredential,
      catalogName: dbx.unityCatalog.catalog,
      createCatalog: dbx.unityCatalog.createCatalog,
      grantCatalogUse: dbx.unityCatalog.grantCatalogUse,
      schemaName: dbx.unityCatalog.schema,
      volumeName: dbx.unityCatalog.volume,
      readerPrincipal: dbx.unityCatalog.readerPrincipal,
      // The same switch as the bucket's: dev tears down with its tables, prod keeps them.
      forceDestroy: config.lake.forceDestroy,
    });

    // Each access mode creates only what it uses: the instance profile (registration needs a workspace admin
    // and iam:PassRole) for a dedicated cluster, the Kinesis service credential for a standard one.
    const standard = dbx.cluster.accessMode === 'standard';
    const serviceCredential = standard
      ? new UnityCatalogAwsCredential(this, 'kinesis-credential', {
          account,
          purpose: 'SERVICE',
          name: `${prefix}-kinesis`,
          roleName: `${prefix}-uc-kinesis`,
          comment: 'Unity Catalog service credential: read the IoT Kinesis stream (managed by CDKTF)',
          grant: (role) => grantStreamRead(role, streamRef, { enhancedFanOut: dbx.processor.consumerMode === 'efo' }),
        })
      : undefined;
    const instanceProfile = standard ? undefined : new InstanceProfile(this, 'instance-profile', { instanceProfileArn: requireProfile(aws) });

    const baseParameters = processorNotebookParameters({
      streamName: aws.streamName,
      region: aws.region,
      authMode: standard ? 'service_credential' : 'instance_profile',
      serviceCredentialName: serviceCredential?.name,
      initialPosition: dbx.processor.initialPosition,
      consumerMode: dbx.processor.consumerMode,
      maxRecordsPerFetch: dbx.processor.maxRecordsPerFetch,
      catalog: lake.catalogName,
      schema: lake.schemaName,
      tables: dbx.tables,
      checkpointBase: `${lake.volumePath}/processor`,
      trigger: dbx.processor.trigger,
      watermarkDelay: dbx.processor.watermarkDelay,
      thresholds: dbx.thresholds,
    });

    const job = new StreamingJob(this, 'processor', {
      jobName: `${prefix}-stream-processor`,
      notebookFile: PROCESSOR_NOTEBOOK_FILE,
      notebookWorkspacePath: `${dbx.workspaceFolder}/${config.stage}/iot_stream_processor`,
      baseParameters,
      compute: instanceProfile ? { accessMode: 'dedicated', instanceProfileArn: instanceProfile.id } : { accessMode: 'standard' },
      autoscale: streamingAutoscale({
        shardCount: config.stream.mode === 'ON_DEMAND' ? undefined : config.stream.shardCount,
        onDemandShardEstimate: dbx.cluster.onDemandShardEstimate,
        shardsPerWorker: dbx.cluster.shardsPerWorker,
        minWorkers: dbx.cluster.minWorkers,
        maxWorkers: dbx.cluster.maxWorkers,
      }),
      minCoresPerNode: dbx.cluster.minCoresPerNode,
      sparkVersion: dbx.cluster.sparkVersion,
      notificationEmail: dbx.alerts.email,
      backlogAlertSeconds: dbx.alerts.backlogSeconds,
      pauseStatus: dbx.cluster.pauseStatus,
      runAs: dbx.runAs,
      tags,
      dependsOn: serviceCredential ? [serviceCredential.ready] : undefined,
    });

    const analytics = new FleetAnalytics(this, 'analytics', {
      folder: `${dbx.workspaceFolder}/${config.stage}/analytics`,
      namePrefix: prefix,
      catalog: dbx.unityCatalog.catalog,
      schema: dbx.unityCatalog.schema,
      processedTable: dbx.tables.processed,
      existingWarehouseId: dbx.warehouse.existingId,
      warehouseSize: dbx.warehouse.size,
      autoStopMins: dbx.warehouse.autoStopMins,
      readerPrincipal: dbx.unityCatalog.readerPrincipal,
    });

    new TerraformOutput(this, 'job_id', { value: job.job.id });
    new TerraformOutput(this, 'dashboard_id', { value: analytics.dashboard.id });
    new TerraformOutput(this, 'warehouse_id', { value: analytics.warehouseId });
  }
}

function requireProfile(aws: DatabricksAwsInputs): string {
  if (!aws.instanceProfileArn) {
    throw new Error('instanceProfileArn is required for a dedicated cluster: the AWS stack creates it when databricks.cluster.accessMode is dedicated');
  }
  return aws.instanceProfileArn;
}
