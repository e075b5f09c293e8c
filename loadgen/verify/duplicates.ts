import { createHash } from 'node:crypto';

/** Counts extra copies of identical payloads (what a retried write that had in fact succeeded leaves behind). */
export class DuplicateCounter {
  private readonly seen = new Set<string>();
  duplicates = 0;

  add(data: Uint8Array): void {
    const key = createHash('md5').update(data).digest('base64');
    if (this.seen.has(key)) this.duplicates++;
    else this.seen.add(key);
  }
}
