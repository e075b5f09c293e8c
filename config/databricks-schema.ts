import { z } from 'zod';

/**
 * The `databricks` key of config/<stage>.json. `accountId` is read by the AWS stack (the Unity Catalog role's
 * trust policy uses it as the external id); everything else configures the Databricks stack and the job.
 * Workspace host and credentials are never configuration: they come from DATABRICKS_* at plan time.
 */

// Unity Catalog names the stack and the notebook accept (the notebook checks the same pattern).
const ucName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$/, 'must be a Unity Catalog name: letters, digits, _ and -');
const interval = z
  .string()
  .regex(/^[1-9][0-9]* (second|seconds|minute|minutes|hour|hours)$/, "must be an interval such as '10 seconds'");

const unityCatalogSchema = z.object({
  /** Catalog holding the schema: an existing one by name, or created when `createCatalog` is true. */
  catalog: ucName,
  createCatalog: z.boolean().default(false),
  schema: ucName,
  volume: ucName.default('checkpoints'),
  /** Use this existing storage credential instead of creating one on the AWS stack's Unity Catalog role. */
  storageCredentialName: ucName.optional(),
  /** Account group or user granted read access (USE_CATALOG, USE_SCHEMA, SELECT, READ_VOLUME). */
  readerPrincipal: z.string().min(1, 'must name an account group or user'),
});

const tablesSchema = z.object({
  raw: ucName.default('iot_sensor_raw'),
  processed: ucName.default('iot_sensor_processed'),
  quarantine: ucName.default('iot_sensor_quarantine'),
});

const processorSchema = z.object({
  initialPosition: z.enum(['latest', 'trim_horizon']).default('trim_horizon'),
  consumerMode: z.enum(['polling', 'efo']).default('polling'),
  maxRecordsPerFetch: z.number().int().min(1).max(10000).default(10000),
  trigger: z.union([z.literal('availableNow'), interval]).default('10 seconds'),
  watermarkDelay: interval.default('10 minutes'),
});

const thresholdsSchema = z
  .object({
    criticalTemperatureC: z.number().default(50),
    temperatureMinC: z.number().default(-10),
    temperatureMaxC: z.number().default(45),
    pressureMinHpa: z.number().default(950),
    pressureMaxHpa: z.number().default(1050),
  })
  .refine((t) => t.temperatureMinC < t.temperatureMaxC, {
    message: 'must be below temperatureMaxC',
    path: ['temperatureMinC'],
  })
  .refine((t) => t.pressureMinHpa < t.pressureMaxHpa, {
    message: 'must be below pressureMaxHpa',
    path: ['pressureMinHpa'],
  });

const clusterSchema = z
  .object({
    /** Runtime version prefix such as "16.4"; default: latest LTS. Service credentials need 16.1+. */
    sparkVersion: z.string().regex(/^[0-9]+\.[0-9]+$/, 'must be a runtime version such as 16.4').optional(),
    minCoresPerNode: z.number().int().min(2).default(4),
    /** standard: shared access mode, Kinesis through a UC service credential; dedicated: instance profile. */
    accessMode: z.enum(['dedicated', 'standard']).default('dedicated'),
    shardsPerWorker: z.number().int().min(1).default(4),
    /** Shards assumed for an on-demand stream when sizing the autoscale range. */
    onDemandShardEstimate: z.number().int().min(1).default(4),
    minWorkers: z.number().int().min(1).optional(),
    maxWorkers: z.number().int().min(1).optional(),
    pauseStatus: z.enum(['UNPAUSED', 'PAUSED']).default('UNPAUSED'),
  })
  .refine((c) => c.minWorkers === undefined || c.maxWorkers === undefined || c.minWorkers <= c.maxWorkers, {
    message: 'must be <= maxWorkers',
    path: ['minWorkers'],
  });

const alertsSchema = z.object({
  /** Failure and streaming-backlog emails; no email, no notifications and no health rule. */
  email: z.email('must be an email address').optional(),
  backlogSeconds: z.number().int().min(1).default(300),
});

const warehouseSchema = z.object({
  existingId: z.string().regex(/^[0-9a-f]{16}$/, 'must be a SQL warehouse id (16 hex digits)').optional(),
  size: z.enum(['2X-Small', 'X-Small', 'Small', 'Medium', 'Large']).default('2X-Small'),
  autoStopMins: z.number().int().min(1).default(10),
});

export const databricksConfigSchema = z.object({
  /** Databricks account id (UUID): the external id in the Unity Catalog role's trust policy. */
  accountId: z.uuid('must be the Databricks account id (a UUID)'),
  /** Workspace folder for the notebook, queries and dashboard; the stage is appended. */
  workspaceFolder: z
    .string()
    .regex(/^\/(Shared|Users\/[^/]+|Workspace)(\/[^/]+)*$/, 'must be an absolute workspace folder such as /Shared/iot-streaming')
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
