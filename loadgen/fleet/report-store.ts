/**
 * Run reports in S3: a fleet child puts its report with one PutObject (its role may do nothing else: no multipart
 * upload, no reading), and `loadgen merge s3://...` and `fleet run` list and get the parts of a run. The bucket
 * encrypts with its default key (SSE-KMS), so requests carry no encryption settings of their own.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** The subset of S3Client used here, so tests can hand in a mocked client. */
export type S3Sender = Pick<S3Client, 'send'>;

export function createS3Client(region: string): S3Client {
  return new S3Client({ region });
}

/** An `s3://bucket/prefix` URL, or undefined when the text is not one. */
export function parseS3Url(url: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  return match ? { bucket: match[1], prefix: match[2] ?? '' } : undefined;
}

/** One report, one PutObject (a report is far below the 5 GB a single PUT takes). */
export async function putReport(client: S3Sender, bucket: string, key: string, report: object): Promise<void> {
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${JSON.stringify(report, null, 2)}\n`, ContentType: 'application/json' }));
}

/** Keys of the `.json` objects directly under `prefix` (a run's folder), in key order. */
export async function listReportKeys(client: S3Sender, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

export async function getReportText(client: S3Sender, bucket: string, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!object.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return object.Body.transformToString('utf8');
}
