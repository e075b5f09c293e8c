import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../config/load';
import { rawConfig, type Json } from '../aws/synth-aws';

/** The ConfigError message for the dev config after `mutate`. */
function errorFor(mutate: (c: Json) => void): string {
  const raw = rawConfig('dev');
  mutate(raw);
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

describe('shipped configs', () => {
  it('dev: a small provisioned stream the team may destroy', () => {
    const config = loadConfig('dev');
    expect(config.stream).toMatchObject({ mode: 'PROVISIONED', shardCount: 2 });
    expect(config.lake.forceDestroy).toBe(true);
    expect(config.backend.type).toBe('local');
  });

  it('prod: on-demand, longer retention, nothing force-destroyed', () => {
    const config = loadConfig('prod');
    expect(config.stream.mode).toBe('ON_DEMAND');
    expect(config.stream.shardCount).toBeUndefined();
    expect(config.stream.retentionHours).toBeGreaterThan(24);
    expect(config.lake.forceDestroy).toBe(false);
  });

  it('fills secure defaults', () => {
    const raw = rawConfig('dev');
    delete raw.lake;
    delete raw.alarms;
    delete raw.cluster;
    delete raw.backend;
    delete raw.stream.retentionHours;
    const config = parseConfig(raw);
    expect(config.lake).toEqual({ forceDestroy: false, noncurrentVersionDays: 30 });
    expect(config.alarms).toEqual({ writeThrottleThreshold: 1, iteratorAgeMs: 60000, periodSeconds: 60, evaluationPeriods: 5 });
    expect(config.cluster).toEqual({ writesToS3: false, lakePrefixes: ['delta/'] });
    expect(config.backend).toEqual({ type: 'local', keyPrefix: 'iot-streaming', kmsKeyAlias: 'iot-tfstate' });
    expect(config.stream.retentionHours).toBe(24);
    // The load fleet is opt-in: it needs the account's own subnets and security groups.
    expect(config.loadFleet).toEqual({ enabled: false, assignPublicIp: false, vcpu: 1, maxVcpus: 16, jobTimeoutMinutes: 120, logRetentionDays: 30, reportsPrefix: 'reports/' });
  });

  it('accepts every Fargate vCPU and memory pair at both ends of its range, and keeps ids listed but off', () => {
    for (const [vcpu, memoryMiB] of [[0.25, 512], [0.5, 4096], [1, 8192], [2, 4096], [4, 30720], [8, 61440], [16, 32768]]) {
      expect(parseConfig({ ...rawConfig('dev'), loadFleet: { vcpu, memoryMiB, maxVcpus: 16 } }).loadFleet).toMatchObject({ vcpu, memoryMiB });
    }
    const off = parseConfig({ ...rawConfig('dev'), loadFleet: { enabled: false, subnetIds: ['subnet-0123456789abcdef0'] } }).loadFleet;
    expect(off).toMatchObject({ enabled: false, subnetIds: ['subnet-0123456789abcdef0'] });
  });
});

describe('each rule names the key, the value and what is allowed', () => {
  it.each<[string, (c: Json) => void, string]>([
    ['stage', (c) => (c.stage = 'Dev!'), 'stage must be 1-12 of a-z, 0-9 and -, starting with a letter, got "Dev!"'],
    ['region', (c) => (c.region = 'europe'), 'region must be an AWS region such as eu-west-1, got "europe"'],
    ['region (missing)', (c) => delete c.region, 'region is required (a string)'],
    ['tags', (c) => (c.tags = { team: 7 }), 'tags.team must be a string, got 7'],
    ['stream.name', (c) => (c.stream.name = 'has space'), 'stream.name must be 1-128 letters, digits, _ - or ., got "has space"'],
    ['stream.mode', (c) => (c.stream.mode = 'SERVERLESS'), 'stream.mode must be one of PROVISIONED, ON_DEMAND, got "SERVERLESS"'],
    ['stream.shardCount >= 1', (c) => (c.stream.shardCount = 0), 'stream.shardCount must be >= 1, got 0'],
    ['stream.shardCount integer', (c) => (c.stream.shardCount = 1.5), 'stream.shardCount must be a whole number, got 1.5'],
    ['stream.shardCount for PROVISIONED', (c) => delete c.stream.shardCount, 'stream.shardCount is required when stream.mode is PROVISIONED (an integer >= 1), got nothing'],
    ['stream.shardCount for ON_DEMAND', (c) => (c.stream.mode = 'ON_DEMAND'), 'stream.shardCount must be left out when stream.mode is ON_DEMAND, got 2'],
    ['stream.retentionHours min', (c) => (c.stream.retentionHours = 12), 'stream.retentionHours must be >= 24, got 12'],
    ['stream.retentionHours max', (c) => (c.stream.retentionHours = 9000), 'stream.retentionHours must be <= 8760, got 9000'],
    ['stream.shardLevelMetrics', (c) => (c.stream.shardLevelMetrics = ['ALL']), 'stream.shardLevelMetrics.0 must list only IncomingBytes'],
    ['lake.bucketName', (c) => (c.lake.bucketName = 'My_Bucket'), 'lake.bucketName must be a valid S3 bucket name (3-63 of a-z, 0-9, . and -), got "My_Bucket"'],
    ['lake.forceDestroy', (c) => (c.lake.forceDestroy = 'no'), 'lake.forceDestroy must be true or false, got "no"'],
    ['lake.noncurrentVersionDays', (c) => (c.lake.noncurrentVersionDays = 0), 'lake.noncurrentVersionDays must be >= 1, got 0'],
    ['cluster.writesToS3', (c) => (c.cluster.writesToS3 = 1), 'cluster.writesToS3 must be true or false, got 1'],
    ['cluster.lakePrefixes', (c) => (c.cluster.lakePrefixes = ['delta/*']), 'cluster.lakePrefixes.0 must be a key prefix such as delta/ (no wildcards, ends with /), got "delta/*"'],
    ['alarms.writeThrottleThreshold', (c) => (c.alarms.writeThrottleThreshold = 0), 'alarms.writeThrottleThreshold must be >= 1, got 0'],
    ['alarms.iteratorAgeMs', (c) => (c.alarms.iteratorAgeMs = 10), 'alarms.iteratorAgeMs must be >= 1000, got 10'],
    ['alarms.periodSeconds', (c) => (c.alarms.periodSeconds = 30), 'alarms.periodSeconds must be one of 60, 300, 900, 3600, got 30'],
    ['alarms.evaluationPeriods', (c) => (c.alarms.evaluationPeriods = 0), 'alarms.evaluationPeriods must be >= 1, got 0'],
    ['alarms.email', (c) => (c.alarms.email = 'ops'), 'alarms.email must be an e-mail address, got "ops"'],
    ['alarms.snsTopicArn', (c) => (c.alarms.snsTopicArn = 'ops'), 'alarms.snsTopicArn must be an SNS topic ARN, got "ops"'],
    ['backend.type', (c) => (c.backend.type = 'gcs'), 'backend.type must be one of local, s3, got "gcs"'],
    ['backend.bucket for s3', (c) => (c.backend = { type: 's3' }), 'backend.bucket is required when backend.type is s3 (the state bucket name), got nothing'],
    ['backend.region', (c) => (c.backend = { type: 's3', bucket: 'state', region: 'mars' }), 'backend.region must be an AWS region such as eu-west-1, got "mars"'],
    ['backend.keyPrefix', (c) => (c.backend.keyPrefix = '/abs/'), 'backend.keyPrefix must be a key prefix such as iot-streaming, got "/abs/"'],
    ['backend.kmsKeyAlias', (c) => (c.backend.kmsKeyAlias = 'alias/iot'), 'backend.kmsKeyAlias must be a KMS alias name without alias/, such as iot-tfstate, got "alias/iot"'],
    ['cluster.writesToS3 for a standard cluster', (c) => ((c.cluster.writesToS3 = true), (c.databricks.cluster.accessMode = 'standard')),
      'cluster.writesToS3 must be false unless databricks.cluster.accessMode is dedicated (a standard cluster cannot use the instance profile), got true'],
    ['databricks.runAs.servicePrincipal', (c) => (c.databricks.runAs = { servicePrincipal: '1234' }), 'databricks.runAs.servicePrincipal must be a service principal application id (a UUID), got "1234"'],
    ['loadFleet.enabled', (c) => (c.loadFleet = { enabled: 'yes' }), 'loadFleet.enabled must be true or false, got "yes"'],
    ['loadFleet.subnetIds when enabled', (c) => (c.loadFleet = { enabled: true, securityGroupIds: ['sg-0123456789abcdef0'] }),
      'loadFleet.subnetIds is required when loadFleet.enabled is true (subnet ids such as subnet-0123456789abcdef0), got nothing'],
    ['loadFleet.securityGroupIds when enabled', (c) => (c.loadFleet = { enabled: true, subnetIds: ['subnet-0123456789abcdef0'] }),
      'loadFleet.securityGroupIds is required when loadFleet.enabled is true (security group ids such as sg-0123456789abcdef0), got nothing'],
    ['loadFleet.subnetIds', (c) => (c.loadFleet = { subnetIds: ['vpc-0123456789abcdef0'] }), 'loadFleet.subnetIds.0 must be a subnet id such as subnet-0123456789abcdef0, got "vpc-0123456789abcdef0"'],
    ['loadFleet.securityGroupIds (empty)', (c) => (c.loadFleet = { securityGroupIds: [] }), 'loadFleet.securityGroupIds must list at least one security group id, got []'],
    ['loadFleet.securityGroupIds (too many)', (c) => (c.loadFleet = { securityGroupIds: Array.from({ length: 6 }, (_, i) => `sg-0123456789abcdef${i}`) }),
      'loadFleet.securityGroupIds must list at most 5 security group ids (an AWS Batch limit), got ["sg-0123456789abcdef0"'],
    ['loadFleet.vcpu', (c) => (c.loadFleet = { vcpu: 3 }), 'loadFleet.vcpu must be one of 0.25, 0.5, 1, 2, 4, 8, 16 (Fargate sizes), got 3'],
    ['loadFleet.memoryMiB for the vcpu', (c) => (c.loadFleet = { vcpu: 2, memoryMiB: 2048 }), 'loadFleet.memoryMiB must be a Fargate memory size for 2 vCPU: 4096 to 16384 in steps of 1024, got 2048'],
    ['loadFleet.memoryMiB for 0.25 vCPU', (c) => (c.loadFleet = { vcpu: 0.25, memoryMiB: 4096 }), 'loadFleet.memoryMiB must be a Fargate memory size for 0.25 vCPU: 512, 1024, 2048, got 4096'],
    ['loadFleet.maxVcpus below vcpu', (c) => (c.loadFleet = { vcpu: 4, maxVcpus: 2 }), 'loadFleet.maxVcpus must be at least loadFleet.vcpu (4), or no child could ever start, got 2'],
    ['loadFleet.jobTimeoutMinutes', (c) => (c.loadFleet = { jobTimeoutMinutes: 0 }), 'loadFleet.jobTimeoutMinutes must be >= 1, got 0'],
    ['loadFleet.logRetentionDays', (c) => (c.loadFleet = { logRetentionDays: 10 }), 'loadFleet.logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400,'],
    ['loadFleet.imageTag', (c) => (c.loadFleet = { imageTag: '-latest' }), 'loadFleet.imageTag must be an image tag: up to 128 of letters, digits, _ . -, not starting with . or -, got "-latest"'],
    ['loadFleet.reportsPrefix', (c) => (c.loadFleet = { reportsPrefix: 'reports/*' }), 'loadFleet.reportsPrefix must be a key prefix such as reports/ (no wildcards, ends with /), got "reports/*"'],
    ['unknown loadFleet key', (c) => (c.loadFleet = { subnets: [] }), 'loadFleet.subnets is not a config key (allowed here: enabled, subnetIds, securityGroupIds, assignPublicIp, vcpu, memoryMiB, maxVcpus, jobTimeoutMinutes, logRetentionDays, imageTag, reportsPrefix)'],
    ['unknown top-level key', (c) => (c.shards = 4), 'shards is not a config key (allowed here: stage, region, tags, stream, lake, cluster, alarms, backend, loadFleet, databricks)'],
    ['unknown nested key', (c) => (c.stream.shardcount = 4), 'stream.shardcount is not a config key (allowed here: name, mode, shardCount, retentionHours, shardLevelMetrics)'],
    ['unknown databricks key', (c) => (c.databricks.runas = 'x'), 'databricks.runas is not a config key (allowed here: runAs,'],
  ])('%s', (_rule, mutate, message) => {
    const error = errorFor(mutate);
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));

  it('reads <configDir>/<stage>.json', () => {
    writeFileSync(join(dir, 'qa.json'), JSON.stringify({ ...rawConfig('dev'), stage: 'qa' }));
    expect(loadConfig('qa', dir).stage).toBe('qa');
  });

  it('rejects a file whose stage is not the STAGE it is loaded for', () => {
    writeFileSync(join(dir, 'staging.json'), JSON.stringify(rawConfig('prod')));
    expect(() => loadConfig('staging', dir)).toThrow('stage must equal the STAGE it is loaded for ("staging"), got "prod"');
  });

  it('rejects a stage that could escape the config folder', () => {
    expect(() => loadConfig('../etc', dir)).toThrow('STAGE must be 1-12 of a-z, 0-9 and -, starting with a letter, got "../etc"');
  });

  it('reports invalid JSON in one line', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "stage": ');
    expect(() => loadConfig('broken', dir)).toThrow(/broken\.json is not valid JSON: /);
  });
});
