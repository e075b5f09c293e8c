/** One Kinesis client per command, created once and reused (shared/aws-client-config.ts says how). */
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { awsClientConfig, type ClientOptions } from '../shared/aws-client-config';

export function createKinesisClient(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): KinesisClient {
  return new KinesisClient(awsClientConfig(options, env));
}
