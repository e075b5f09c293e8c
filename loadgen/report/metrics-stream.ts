/**
 * `--out json=<file|->`: one JSON line per second of the run (that second's series entry, plus the requests
 * in flight and the records queued when it was written), each written as its second completes so other tools
 * (jq, a dashboard, a log shipper) can follow a long run live. A file is written synchronously, so every line is
 * in the file once written; stdout goes through its stream. When the output goes away (`| head`), writing stops
 * and `onClosed` is told once.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { SeriesPoint } from '../metrics/ledger';

export interface MetricsLine extends SeriesPoint {
  /** When the second began (ISO 8601). */
  readonly time: string;
  readonly inFlightRequests: number;
  readonly queuedRecords: number;
}

export class MetricsStream {
  private closed = false;

  private constructor(
    private readonly writeText: (text: string) => void,
    private readonly release: () => void,
    private readonly onClosed: (error: unknown) => void,
  ) {}

  /** `path` '-' is `stdout`. */
  static open(path: string, stdout: NodeJS.WritableStream, onClosed: (error: unknown) => void): MetricsStream {
    if (path === '-') {
      const onError = (error: unknown): void => stream.fail(error);
      const stream: MetricsStream = new MetricsStream(
        (text) => stdout.write(text),
        () => stdout.off('error', onError),
        onClosed,
      );
      stdout.on('error', onError);
      return stream;
    }
    const fd = openSync(path, 'w');
    return new MetricsStream(
      (text) => writeSync(fd, text),
      () => closeSync(fd),
      onClosed,
    );
  }

  write(line: MetricsLine): void {
    if (this.closed) return;
    try {
      this.writeText(`${JSON.stringify(line)}\n`);
    } catch (error) {
      this.fail(error);
    }
  }

  close(): void {
    this.release();
    this.closed = true;
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(error);
  }
}
