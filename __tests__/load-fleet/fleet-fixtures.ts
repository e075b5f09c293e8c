import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import type { AppConfig } from '../../config/schema';
import { addStacks } from '../../stacks/app-stacks';
import { rawConfig, type Json } from '../aws/synth-aws';

/** A `loadFleet` block that turns the fleet on in a made-up network. */
export const FLEET_ON = {
  enabled: true,
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
  securityGroupIds: ['sg-0123456789abcdef0'],
};

/** A stage's shipped config with the fleet on, plus `loadFleet` and top-level patches. */
export function fleetConfig(stage: 'dev' | 'prod' = 'dev', loadFleet: Json = {}, patch: Json = {}): AppConfig {
  return parseConfig({ ...rawConfig(stage), ...patch, loadFleet: { ...FLEET_ON, ...loadFleet } });
}

export interface SynthesizedApp {
  readonly outdir: string;
  /** Parsed cdk.tf.json by stack name. */
  readonly stacks: Record<string, Json>;
}

/** The whole app (every stack main.ts writes for `config`) synthesized into a temp dir, as `cdktf synth` does. */
export function synthApp(config: AppConfig): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'iot-fleet-app-'));
  const app = new App({ outdir });
  addStacks(app, config);
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = Object.fromEntries(
    Object.entries(manifest.stacks).map(([name, s]) => [name, JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), 'utf8')) as Json]),
  );
  return { outdir, stacks };
}
