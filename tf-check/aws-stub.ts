import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account the stub says the fake credentials belong to. */
export const STUB_ACCOUNT_ID = '123456789012';

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  /** `sts:GetCallerIdentity`, `s3:PutObject`, ... or `unknown`. */
  readonly operation: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface StoredObject {
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * A tiny AWS stand-in on 127.0.0.1 for offline `terraform plan`: STS GetCallerIdentity (the AWS provider and
 * `aws_caller_identity` ask who the fake credentials are), Kinesis DescribeLimits (the provider checks shard
 * counts at plan), and just enough path-style S3 (list, head, get, put, delete) for Terraform's S3 backend
 * with S3-native locking. Anything else is answered 501 and recorded,
 * so a check can prove nothing unexpected was called. It never listens beyond loopback.
 */
export class AwsStub {
  readonly requests: StubRequest[] = [];
  private readonly objects = new Map<string, StoredObject>();
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolvePromise, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', () => resolvePromise());
    });
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the AWS stub is not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }

  /** A stored object's request headers (e.g. the SSE-KMS ones it was written with), by `bucket/key`. */
  objectHeaders(path: string): Record<string, string> | undefined {
    return this.objects.get(path)?.headers;
  }

  /** `bucket/key` of every stored object. */
  get objectPaths(): string[] {
    return [...this.objects.keys()].sort();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v ?? '')]));
    const method = req.method ?? 'GET';
    const record = (operation: string) => this.requests.push({ method, path: url.pathname, operation, headers });

    const form = new URLSearchParams(body.toString('utf8'));
    if (method === 'POST' && (form.get('Action') ?? url.searchParams.get('Action')) === 'GetCallerIdentity') {
      record('sts:GetCallerIdentity');
      return send(res, 200, xml('GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"', [
        '<GetCallerIdentityResult>',
        `<Arn>arn:aws:iam::${STUB_ACCOUNT_ID}:user/tf-check</Arn><UserId>AIDATFCHECK</UserId><Account>${STUB_ACCOUNT_ID}</Account>`,
        '</GetCallerIdentityResult><ResponseMetadata><RequestId>tf-check</RequestId></ResponseMetadata>',
      ]));
    }

    // The AWS provider checks a provisioned stream's shard count against the account's Kinesis limits at plan.
    if (method === 'POST' && headers['x-amz-target'] === 'Kinesis_20131202.DescribeLimits') {
      record('kinesis:DescribeLimits');
      const limits = { ShardLimit: 500, OpenShardCount: 0, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 };
      return send(res, 200, JSON.stringify(limits), { 'Content-Type': 'application/x-amz-json-1.1' });
    }

    // Path-style S3: /<bucket> or /<bucket>/<key>.
    const [bucket, ...keyParts] = url.pathname.slice(1).split('/').map(decodeURIComponent);
    const key = keyParts.join('/');
    if (!bucket) {
      record('unknown');
      return send(res, 501, s3Error('NotImplemented', `tf-check's AWS stub does not answer ${method} ${url.pathname}`));
    }
    if (!key && method === 'GET' && url.searchParams.get('list-type') === '2') {
      record('s3:ListObjectsV2');
      const prefix = url.searchParams.get('prefix') ?? '';
      const keys = [...this.objects.keys()].filter((p) => p.startsWith(`${bucket}/${prefix}`)).map((p) => p.slice(bucket.length + 1));
      return send(res, 200, xml('ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', [
        `<Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`,
        ...keys.map((k) => `<Contents><Key>${k}</Key><Size>${this.objects.get(`${bucket}/${k}`)!.body.length}</Size></Contents>`),
      ]));
    }
    const path = `${bucket}/${key}`;
    const stored = this.objects.get(path);
    switch (key ? method : '') {
      case 'PUT':
        record('s3:PutObject');
        if (headers['if-none-match'] === '*' && stored) return send(res, 412, s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'));
        this.objects.set(path, { body, headers });
        return send(res, 200, '', { ETag: '"tf-check"' });
      case 'HEAD':
        record('s3:HeadObject');
        return stored ? send(res, 200, '', { 'Content-Length': String(stored.body.length), ETag: '"tf-check"' }, false) : send(res, 404, '', {}, false);
      case 'GET': {
        record('s3:GetObject');
        if (!stored) return send(res, 404, s3Error('NoSuchKey', 'The specified key does not exist.'));
        const range = /^bytes=(\d+)-(\d*)$/.exec(headers.range ?? '');
        if (!range) return send(res, 200, stored.body);
        const size = stored.body.length;
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        return send(res, 206, stored.body.subarray(start, end + 1), { 'Content-Range': `bytes ${start}-${end}/${size}` });
      }
      case 'DELETE':
        record('s3:DeleteObject');
        this.objects.delete(path);
        return send(res, 204, '');
      default:
        record('unknown');
        return send(res, 501, s3Error('NotImplemented', `tf-check's AWS stub does not answer ${method} ${url.pathname}${url.search}`));
    }
  }
}

function xml(root: string, lines: string[]): string {
  const name = root.split(' ')[0];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}>${lines.join('')}</${name}>`;
}

function s3Error(code: string, message: string): string {
  return xml('Error', [`<Code>${code}</Code><Message>${message}</Message>`]);
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}, withBody = true): void {
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    ...(payload.length && withBody ? { 'Content-Type': 'application/xml' } : {}),
    'x-amz-request-id': 'tf-check',
    ...(withBody ? { 'Content-Length': String(payload.length) } : {}),
    ...headers,
  });
  res.end(withBody ? payload : undefined);
}
