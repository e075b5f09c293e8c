import { AssetType, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DataDatabricksNodeType } from '@cdktf/provider-databricks/lib/data-databricks-node-type';
import { DataDatabricksSparkVersion } from '@cdktf/provider-databricks/lib/data-databricks-spark-version';
import { Job, type JobJobClusterNewCluster } from '@cdktf/provider-databricks/lib/job';
import { Notebook } from '@cdktf/provider-databricks/lib/notebook';
import type { AutoscaleBounds } from './autoscale';

/** Consumer-delay health metric of the Jobs API (Public Preview), alerting on the Kinesis backlog. */
export const BACKLOG_METRIC = 'STREAMING_BACKLOG_SECONDS';

export type ClusterCompute =
  /** Dedicated (single-user) cluster reading Kinesis through the registered instance profile. */
  | { readonly accessMode: 'dedicated'; readonly instanceProfileArn: string }
  /** Standard (shared) cluster: instance profiles do not work there; the notebook uses a service credential. */
  | { readonly accessMode: 'standard' };

/** The identity a job runs as: exactly one of a service principal (application id) or a user (e-mail). */
export interface JobIdentity {
  readonly servicePrincipal?: string;
  readonly user?: string;
}

export interface StreamingJobProps {
  readonly jobName: string;
  /** Local notebook file in Databricks source format, packaged with the stack as an asset. */
  readonly notebookFile: string;
  /** Workspace path of the uploaded notebook, without extension. */
  readonly notebookWorkspacePath: string;
  /** Every widget of the notebook, and nothing else. */
  readonly baseParameters: Record<string, string>;
  readonly compute: ClusterCompute;
  readonly autoscale: AutoscaleBounds;
  /** Smallest worker size. */
  readonly minCoresPerNode: number;
  /**
   * Databricks Runtime version prefix, e.g. `16.4`.
   * @default the latest long-term-support runtime
   */
  readonly sparkVersion?: string;
  /**
   * Failure and backlog emails.
   * @default no notifications and no health rule
   */
  readonly notificationEmail?: string;
  /** Backlog (seconds behind the stream head) above which the health rule notifies. */
  readonly backlogAlertSeconds: number;
  /** `PAUSED` keeps the continuous job deployed but stopped. */
  readonly pauseStatus: 'UNPAUSED' | 'PAUSED';
  /**
   * Who the job runs as, and so who the dedicated cluster belongs to. Fixed in config rather than whoever
   * applies: a job created from a laptop and re-applied by CI keeps running as the same identity.
   */
  readonly runAs: JobIdentity;
  readonly tags: Record<string, string>;
  /**
   * What must exist before the job starts (its first run begins on creation), e.g. the service
   * credential's IAM propagation wait.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

const CLUSTER_KEY = 'stream';

/**
 * The processor notebook (uploaded by `source`) running as a continuous job on its own job cluster:
 * one run at a time, restarted by the Jobs service when it fails, and by the provider when a deploy changes
 * it (`control_run_state`): a continuous run keeps its old settings until restarted.
 */
export class StreamingJob extends Construct {
  public readonly job: Job;
  public readonly notebook: Notebook;

  constructor(scope: Construct, id: string, props: StreamingJobProps) {
    super(scope, id);
    const asset = new TerraformAsset(this, 'notebook-asset', { path: props.notebookFile, type: AssetType.FILE });
    this.notebook = new Notebook(this, 'notebook', {
      path: props.notebookWorkspacePath,
      source: asset.path,
      language: 'PYTHON',
    });

    const sparkVersion = new DataDatabricksSparkVersion(this, 'spark-version', {
      longTermSupport: true,
      // Several builds can match a version prefix (e.g. Scala variants): take the newest.
      latest: true,
      ...(props.sparkVersion !== undefined ? { sparkVersion: props.sparkVersion } : {}),
    });
    const nodeType = new DataDatabricksNodeType(this, 'node-type', {
      localDisk: true,
      minCores: props.minCoresPerNode,
    });

    const identity = props.runAs.servicePrincipal ?? props.runAs.user;
    if (!identity || (props.runAs.servicePrincipal !== undefined && props.runAs.user !== undefined)) {
      throw new Error(`runAs must name exactly one of servicePrincipal or user. Received ${JSON.stringify(props.runAs)}`);
    }
    const cluster: JobJobClusterNewCluster = {
      sparkVersion: sparkVersion.id,
      nodeTypeId: nodeType.id,
      autoscale: { minWorkers: props.autoscale.minWorkers, maxWorkers: props.autoscale.maxWorkers },
      customTags: props.tags,
      ...(props.compute.accessMode === 'dedicated'
        ? {
            // Dedicated to the job's run-as identity (a service principal by its application id).
            dataSecurityMode: 'SINGLE_USER',
            singleUserName: identity,
            awsAttributes: { availability: 'ON_DEMAND', instanceProfileArn: props.compute.instanceProfileArn },
          }
        : { dataSecurityMode: 'USER_ISOLATION', awsAttributes: { availability: 'ON_DEMAND' } }),
    };

    const email = props.notificationEmail;
    this.job = new Job(this, 'job', {
      name: props.jobName,
      description: 'Kinesis -> raw, processed and quarantine Delta tables (managed by CDKTF)',
      maxConcurrentRuns: 1,
      continuous: { pauseStatus: props.pauseStatus },
      controlRunState: true,
      runAs: props.runAs.servicePrincipal !== undefined ? { servicePrincipalName: props.runAs.servicePrincipal } : { userName: props.runAs.user },
      jobCluster: [{ jobClusterKey: CLUSTER_KEY, newCluster: cluster }],
      task: [
        {
          taskKey: 'process_stream',
          jobClusterKey: CLUSTER_KEY,
          notebookTask: {
            notebookPath: this.notebook.path,
            source: 'WORKSPACE',
            baseParameters: props.baseParameters,
          },
        },
      ],
      tags: props.tags,
      ...(props.dependsOn?.length ? { dependsOn: props.dependsOn } : {}),
      ...(email
        ? {
            emailNotifications: { onFailure: [email], onStreamingBacklogExceeded: [email] },
            health: { rules: [{ metric: BACKLOG_METRIC, op: 'GREATER_THAN', value: props.backlogAlertSeconds }] },
          }
        : {}),
    });
  }
}
