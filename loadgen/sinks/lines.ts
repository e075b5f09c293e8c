import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { PutEntry, PutResultEntry, Sink } from './types';

const OK: PutResultEntry = Object.freeze({});

/** Writes each record's data as one line (NDJSON for JSON generators) to stdout or a file. */
export class LinesSink implements Sink {
  private constructor(
    readonly kind: 'stdout' | 'file',
    private readonly out: Writable,
    private readonly owned: boolean,
  ) {}

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
    const chunks: Buffer[] = [];
    for (const entry of entries) chunks.push(Buffer.from(entry.Data.buffer, entry.Data.byteOffset, entry.Data.byteLength), NEWLINE);
    const flushed = this.out.write(Buffer.concat(chunks));
    // Honour backpressure: the batch is "acknowledged" once the stream can take more.
    if (!flushed) await new Promise<void>((resolve) => this.out.once('drain', resolve));
    return entries.map(() => OK);
  }

  async close(): Promise<void> {
    if (this.owned) await new Promise<void>((resolve) => this.out.end(resolve));
  }
}

const NEWLINE = Buffer.from('\n');
