/**
 * A Kinesis-shaped HTTP endpoint for the bench, cheap enough that the client, not the server, is what gets
 * measured: it answers ListShards, DescribeStreamSummary and PutRecords (every entry accepted) after a fixed
 * delay, 0 for "at once". With more than one shard its answers omit ShardId, so the client keeps its own
 * prediction rather than the endpoint hashing every key. Run in its own process:
 *   node -r tsx/cjs loadgen/bench/stub-endpoint.ts <port> [shards=1] [delayMs=0]
 * It prints "listening" when ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

const port = Number(process.argv[2] ?? 45680);
const shardCount = Number(process.argv[3] ?? 1);
const delayMs = Number(process.argv[4] ?? 0);
const KEY_SPACE = 2n ** 128n;

const shards = Array.from({ length: shardCount }, (_, i) => ({
  ShardId: `shardId-${String(i).padStart(12, '0')}`,
  HashKeyRange: {
    StartingHashKey: ((KEY_SPACE * BigInt(i)) / BigInt(shardCount)).toString(),
    EndingHashKey: ((KEY_SPACE * BigInt(i + 1)) / BigInt(shardCount) - 1n).toString(),
  },
  SequenceNumberRange: { StartingSequenceNumber: '1' },
}));

// One answer per batch size, built once: the endpoint's own work stays negligible.
const putAnswers = new Map<number, string>();
function putAnswer(count: number): string {
  let answer = putAnswers.get(count);
  if (!answer) {
    const entry = shardCount === 1 ? '{"SequenceNumber":"1","ShardId":"shardId-000000000000"}' : '{"SequenceNumber":"1"}';
    answer = `{"FailedRecordCount":0,"Records":[${Array(count).fill(entry).join(',')}]}`;
    putAnswers.set(count, answer);
  }
  return answer;
}

const PARTITION_KEY = Buffer.from('"PartitionKey"');

/** Entries in a PutRecords body, counted without parsing or decoding it. */
function countEntries(body: Buffer): number {
  let count = 0;
  for (let at = body.indexOf(PARTITION_KEY); at >= 0; at = body.indexOf(PARTITION_KEY, at + PARTITION_KEY.length)) count++;
  return count;
}

function reply(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

createServer((req: IncomingMessage, res: ServerResponse) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (target.endsWith('.PutRecords')) {
      const answer = putAnswer(countEntries(Buffer.concat(chunks)));
      if (delayMs > 0) setTimeout(() => reply(res, answer), delayMs);
      else reply(res, answer);
    } else if (target.endsWith('.ListShards')) {
      reply(res, JSON.stringify({ Shards: shards }));
    } else if (target.endsWith('.DescribeStreamSummary')) {
      reply(res, JSON.stringify({ StreamDescriptionSummary: { StreamName: 'bench', StreamStatus: 'ACTIVE', OpenShardCount: shardCount } }));
    } else {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
    }
  });
}).listen(port, '127.0.0.1', () => process.stdout.write(`listening on http://127.0.0.1:${port}\n`));
