import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { isClosedPipe } from '../shared/closed-pipe';
import { OutputClosedError, type PutEntry, type PutResultEntry, type Sink } from './types';

const OK: PutResultEntry = Object.freeze({});

/** Writes each record's data as one line (NDJSON for JSON generators) to stdout or a file. */
export class LinesSink implements Sink {
  /** Set when the stream failed: a closed pipe ends the run quietly, anything else is the run's error. */
  private failure: Error | null = null;
  private readonly failed: Promise<never>;

  private constructor(
    readonly kind: 'stdout' | 'file',
    private readonly out: Writable,
    private readonly owned: boolean,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      out.on('error', (error: NodeJS.ErrnoException) => {
        this.failure ??= isClosedPipe(error) ? new OutputClosedError(`${kind} closed by its reader`) : error;
        reject(this.failure);
      });
    });
    // Nobody may be waiting when it fails; the next putRecords() reports it.
    this.failed.catch(() => {});
  }

  static stdout(): LinesSink {
    return new LinesSink('stdout', process.stdout, false);
  }

  static file(path: string): LinesSink {
    return new LinesSink('file', createWriteStream(path), true);
  }

  async listShards(): Promise<null> {
    return null;
  }

  async putRecords(entries: PutEntry[]): Promise<PutResultEntry[]> {
    if (this.failure) throw this.failure;
    const chunks: Buffer[] = [];
    for (const entry of entries) chunks.push(Buffer.from(entry.Data.buffer, entry.Data.byteOffset, entry.Data.byteLength), NEWLINE);
    const flushed = this.out.write(Buffer.concat(chunks));
    // Honour backpressure: the batch is "acknowledged" once the stream can take more (or fails).
    if (!flushed) await Promise.race([new Promise<void>((resolve) => this.out.once('drain', resolve)), this.failed]);
    return entries.map(() => OK);
  }

  async close(): Promise<void> {
    if (this.owned && !this.failure) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}

const NEWLINE = Buffer.from('\n');
