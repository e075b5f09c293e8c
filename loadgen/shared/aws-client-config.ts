/**
 * What every AWS SDK client of the tool is built with: HTTP/1.1 keep-alive sockets sized to the work (the
 * SDK's default HTTP/2 handler exists for SubscribeToShard, unused here, and does not suit local emulators),
 * the endpoint when one is given, and on a loopback endpoint without credentials in the environment,
 * placeholder credentials.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

// The SDK's documented switch for its "Node 20 support ends" notice: the notice is noise in a CLI's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface ClientOptions {
  readonly region: string;
  readonly endpoint?: string;
  /** Sockets to keep open. @default 16 */
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

export function awsClientConfig(options: ClientOptions, env: NodeJS.ProcessEnv = process.env) {
  const { region, endpoint } = options;
  const maxSockets = options.maxSockets ?? 16;
  const requestHandler = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
  });
  if (endpoint === undefined) return { region, requestHandler };
  const placeholder = isLoopback(endpoint) && !hasEnvCredentials(env);
  return {
    region,
    endpoint,
    requestHandler,
    ...(placeholder ? { credentials: { accessKeyId: 'loadgen-local', secretAccessKey: 'loadgen-local' } } : {}),
  };
}
