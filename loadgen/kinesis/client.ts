/**
 * One Kinesis client per command, created once and reused. Always HTTP/1.1 with keep-alive sockets sized
 * to the request concurrency: the SDK's default HTTP/2 handler exists for SubscribeToShard (unused here)
 * and does not suit local emulators. On a loopback endpoint without credentials in the environment,
 * placeholder credentials.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

// The SDK's documented switch for its "Node 20 support ends" notice: the notice is noise in a CLI's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface ClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  /** Sockets to keep open: the PutRecords concurrency plus some for reads and shard listing. */
  readonly maxSockets?: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.');
}

function hasEnvCredentials(env: NodeJS.ProcessEnv): boolean {
  return !!(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
}

export function createKinesisClient(options: ClientOptions, env: NodeJS.ProcessEnv = process.env): KinesisClient {
  const { region, endpoint } = options;
  const maxSockets = options.maxSockets ?? 16;
  const requestHandler = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
  });
  if (endpoint === undefined) return new KinesisClient({ region, requestHandler });
  const placeholder = isLoopback(endpoint) && !hasEnvCredentials(env);
  return new KinesisClient({
    region,
    endpoint,
    requestHandler,
    ...(placeholder ? { credentials: { accessKeyId: 'loadgen-local', secretAccessKey: 'loadgen-local' } } : {}),
  });
}
