import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import type { AppConfig } from '../../config/schema';
import { DatabricksStack, type DatabricksAwsInputs, type DatabricksStackConfig } from '../../stacks/databricks-stack';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DEV_JSON = join(__dirname, '../../config/dev.json');

/**
 * config/dev.json validated by the app's schema, with a minimal `databricks` block (so these tests do not
 * follow the stage's choices) plus `databricks` and `stream` patches; an `undefined` in a patch removes the key.
 */
export function testConfig(databricks: Record<string, unknown> = {}, stream: Record<string, unknown> = {}): AppConfig {
  const raw = JSON.parse(readFileSync(DEV_JSON, 'utf8'));
  const patched = {
    ...raw,
    stream: { ...raw.stream, ...stream },
    databricks: {
      runAs: { servicePrincipal: '0d26daa6-5e44-4c97-a497-ef015f91254a' },
      unityCatalog: { catalog: 'main', schema: 'iot_dev', readerPrincipal: 'iot-analysts' },
      ...databricks,
    },
  };
  return parseConfig(JSON.parse(JSON.stringify(patched)));
}

/** Literal AWS inputs: for suites about this stack alone (remote-state.test.ts wires the real AWS stack). */
export const LITERAL_AWS: DatabricksAwsInputs = {
  region: 'eu-west-1',
  streamName: 'iot-dev-sensors',
  streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/iot-dev-sensors',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  bucketArn: 'arn:aws:s3:::iot-dev-lake',
  bucketUrl: 's3://iot-dev-lake',
  instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/iot-dev-databricks',
};

export interface Synthesized {
  readonly outdir: string;
  readonly json: Json;
  readonly text: string;
}

/** Synthesizes the Databricks stack into a temp dir, as `cdktf synth` does (assets included). */
export function synthDatabricks(config: DatabricksStackConfig, aws: DatabricksAwsInputs = LITERAL_AWS): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'dbx-synth-'));
  const app = new App({ outdir });
  new DatabricksStack(app, 'iot-databricks-dev', { config, aws });
  app.synth();
  const text = readFileSync(join(outdir, 'stacks', 'iot-databricks-dev', 'cdk.tf.json'), 'utf8');
  return { outdir, json: JSON.parse(text), text };
}

/** The one resource (or data source) of a type. */
export function only(json: Json, type: string, kind: 'resource' | 'data' = 'resource'): Json {
  const all = Object.values(json[kind]?.[type] ?? {}) as Json[];
  if (all.length !== 1) throw new Error(`expected one ${kind} ${type}, found ${all.length}`);
  return all[0];
}
