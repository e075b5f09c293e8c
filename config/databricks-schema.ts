import { z } from 'zod';
import { int } from './zod-helpers';

/**
 * The `databricks` key of config/<stage>.json: the Databricks stack and its job (the AWS stack reads only
 * `processor.consumerMode` and `cluster.accessMode`, to grant and create what the job uses).
 * Workspace host and credentials are never configuration: they come from DATABRICKS_* at plan time.
 * Objects are strict and messages complete "<key> ..." like the rest of config/schema.ts.
 */

// Unity Catalog names the stack and the notebook accept (the notebook checks the same pattern).
const ucName = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/, { error: 'must be a Unity Catalog name: letters, digits, _ and -' });
const interval = z
  .string({ error: 'must be a string' })
  .regex(/^[1-9][0-9]* (second|seconds|minute|minutes|hour|hours)$/, { error: "must be an interval such as '10 seconds'" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
const num = () => z.number({ error: 'must be a number' });
const bool = () => z.boolean({ error: 'must be true or false' });

const unityCatalogSchema = z.strictObject({
  /** Catalog holding the schema: an existing one by name, or created when `createCatalog` is true. */
  catalog: ucName,
  createCatalog: bool().default(false),
  schema: ucName,
  volume: ucName.default('checkpoints'),
  /** Use this existing storage credential instead of creating one on the AWS stack's Unity Catalog role. */
  storageCredentialName: ucName.optional(),
  /** Account group or user granted read access (USE_CATALOG, USE_SCHEMA, SELECT, READ_VOLUME). */
  readerPrincipal: z.string({ error: 'must be a string' }).min(1, { error: 'must name an account group or user' }),
  /**
   * Grant the reader USE_CATALOG on an existing catalog. Granting on a catalog needs its ownership or MANAGE,
   * which a deployer of `main` rarely has; off, the catalog's owner grants it once. A catalog the stack
   * creates is always granted.
   */
  grantCatalogUse: bool().default(false),
});

/** The identity the job runs as (and the dedicated cluster is assigned to): the same whoever deploys. */
const runAsSchema = z
  .strictObject({
    servicePrincipal: z.uuid({ error: 'must be a service principal application id (a UUID)' }).optional(),
    user: z.email({ error: 'must be a user name (an e-mail address)' }).optional(),
  })
  .refine((r) => (r.servicePrincipal === undefined) !== (r.user === undefined), {
    message: 'must set exactly one of servicePrincipal (an application id) or user (an e-mail address)',
  });

const tablesSchema = z.strictObject({
  raw: ucName.default('iot_sensor_raw'),
  processed: ucName.default('iot_sensor_processed'),
  quarantine: ucName.default('iot_sensor_quarantine'),
});

const processorSchema = z.strictObject({
  /** Where a new checkpoint starts reading; an existing checkpoint always resumes where it stopped. */
  initialPosition: oneOf(['latest', 'trim_horizon']).default('trim_horizon'),
  consumerMode: oneOf(['polling', 'efo']).default('polling'),
  /** GetRecords returns at most 10,000 records per call. */
  maxRecordsPerFetch: int(1, 10000).default(10000),
  trigger: z
    .string({ error: 'must be a string' })
    .regex(/^(availableNow|[1-9][0-9]* (second|seconds|minute|minutes|hour|hours))$/, {
      error: "must be availableNow or an interval such as '10 seconds'",
    })
    .default('10 seconds'),
  /** How late a retried duplicate may arrive and still be dropped. */
  watermarkDelay: interval.default('10 minutes'),
});

// is_critical defaults to the proof of concept's rule: temperature strictly above 28 C, status ignored.
const thresholdsSchema = z
  .strictObject({
    /** temperature_or_status also flags readings whose device reports CRITICAL: a deviation from the PoC. */
    criticalRule: oneOf(['temperature', 'temperature_or_status']).default('temperature'),
    /** A reading strictly above this is critical. */
    criticalTemperatureC: num().default(28),
    temperatureMinC: num().default(-10),
    temperatureMaxC: num().default(45),
    pressureMinHpa: num().default(950),
    pressureMaxHpa: num().default(1050),
  })
  .refine((t) => t.temperatureMinC < t.temperatureMaxC, { message: 'must be below temperatureMaxC', path: ['temperatureMinC'] })
  .refine((t) => t.pressureMinHpa < t.pressureMaxHpa, { message: 'must be below pressureMaxHpa', path: ['pressureMinHpa'] });

const clusterSchema = z
  .strictObject({
    /** Runtime version prefix such as "16.4"; default: the latest LTS. Service credentials need 16.1+. */
    sparkVersion: z.string({ error: 'must be a string' }).regex(/^[0-9]+\.[0-9]+$/, { error: 'must be a runtime version such as 16.4' }).optional(),
    minCoresPerNode: int(2, 256).default(4),
    /** dedicated: Kinesis through the instance profile; standard: shared access mode and a UC service credential. */
    accessMode: oneOf(['dedicated', 'standard']).default('dedicated'),
    shardsPerWorker: int(1, 1000).default(4),
    /** Shards assumed for an on-demand stream when sizing the autoscale range. */
    onDemandShardEstimate: int(1, 10000).default(4),
    minWorkers: int(1, 1000).optional(),
    maxWorkers: int(1, 1000).optional(),
    /** PAUSED deploys the continuous job without starting it. */
    pauseStatus: oneOf(['UNPAUSED', 'PAUSED']).default('UNPAUSED'),
  })
  .refine((c) => c.minWorkers === undefined || c.maxWorkers === undefined || c.minWorkers <= c.maxWorkers, {
    message: 'must be <= maxWorkers',
    path: ['minWorkers'],
  });

const alertsSchema = z.strictObject({
  /** Failure and streaming-backlog e-mails; without one, no notifications and no health rule. */
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  /** Consumer delay (STREAMING_BACKLOG_SECONDS) above which the health rule notifies. */
  backlogSeconds: int(1).default(300),
});

const warehouseSchema = z.strictObject({
  existingId: z.string({ error: 'must be a string' }).regex(/^[0-9a-f]{16}$/, { error: 'must be a SQL warehouse id (16 hex digits)' }).optional(),
  size: oneOf(['2X-Small', 'X-Small', 'Small', 'Medium', 'Large']).default('2X-Small'),
  autoStopMins: int(1, 1440).default(10),
});

export const databricksConfigSchema = z.strictObject({
  /** Who the job runs as, so a job deployed from a laptop and re-applied by CI runs as the same identity. */
  runAs: runAsSchema,
  /** Workspace folder for the notebook, queries and dashboard; the stage is appended. */
  workspaceFolder: z
    .string({ error: 'must be a string' })
    .regex(/^\/(Shared|Users\/[^/]+|Workspace)(\/[^/]+)*$/, { error: 'must be an absolute workspace folder such as /Shared/iot-streaming' })
    .default('/Shared/iot-streaming'),
  unityCatalog: unityCatalogSchema,
  tables: tablesSchema.prefault({}),
  processor: processorSchema.prefault({}),
  thresholds: thresholdsSchema.prefault({}),
  cluster: clusterSchema.prefault({}),
  alerts: alertsSchema.prefault({}),
  warehouse: warehouseSchema.prefault({}),
});

export type DatabricksConfig = z.infer<typeof databricksConfigSchema>;
