import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parseConfig } from '../../config/load';
import type { AppConfig } from '../../config/schema';
import { extractIamStatements, type IamStatement } from '../../policy/iam-statements';
import { AwsIngestStack } from '../../stacks/aws-stack';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The shipped config of a stage, as raw JSON to mutate. */
export function rawConfig(stage: 'dev' | 'prod' = 'dev'): Json {
  return JSON.parse(readFileSync(join(__dirname, '../../config', `${stage}.json`), 'utf8'));
}

/** Synthesizes the AWS stack for a (mutated) stage config; returns the parsed cdk.tf.json and the stack. */
export function synthAws(stage: 'dev' | 'prod' = 'dev', mutate: (raw: Json) => void = () => undefined): { json: Json; stack: AwsIngestStack; config: AppConfig } {
  const raw = rawConfig(stage);
  mutate(raw);
  const config = parseConfig(raw);
  const stack = new AwsIngestStack(Testing.app(), `iot-aws-${config.stage}`, { config });
  return { json: JSON.parse(Testing.synth(stack)), stack, config };
}

/** The one resource of a type. */
export function only(json: Json, type: string): [string, Json] {
  const entries = Object.entries(json.resource?.[type] ?? {}) as Array<[string, Json]>;
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return [`${type}.${entries[0][0]}`, entries[0][1]];
}

/** The resource of a type whose `name` attribute is `name`. */
export function named(json: Json, type: string, name: string): [string, Json] {
  const hit = Object.entries(json.resource?.[type] ?? {}).find(([, body]) => (body as Json).name === name) as [string, Json] | undefined;
  if (!hit) throw new Error(`no ${type} named ${name}`);
  return [`${type}.${hit[0]}`, hit[1]];
}

/** IAM statements used by a resource (e.g. the inline policy of a role), by role of the document. */
export function statementsUsedBy(json: Json, address: string): IamStatement[] {
  return extractIamStatements(json).filter((s) => s.usedBy.includes(address));
}

/** `sid -> sorted actions` of statements, for exact action-set assertions. */
export function actionsBySid(statements: IamStatement[]): Record<string, string[]> {
  return Object.fromEntries(statements.map((s) => [s.sid ?? '', [...s.actions].sort()]));
}
