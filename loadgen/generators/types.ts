/**
 * The generator plugin contract. A plugin module's default export (or `module.exports`) is a
 * `GeneratorPlugin`; see the README section "Writing a generator plugin".
 */

export interface GeneratorContext {
  /** Seed for any randomness: the same seed gives the same records (apart from timestamps and run id). */
  readonly seed: number;
  /** How many distinct devices (partition keys) to simulate. */
  readonly devices: number;
  /** Fraction of records, 0..1, that should be anomalies. */
  readonly anomalyRate: number;
  /** This worker's index and the worker count (one worker today: 0 of 1); split devices by them. */
  readonly workerIndex: number;
  readonly workerCount: number;
  /** Identifies this run; the iot-sensor generator puts it in every record as `run_id`. */
  readonly runId: string;
}

export interface GeneratedRecord {
  readonly partitionKey: string;
  /** A string (UTF-8 encoded), bytes, or an object (JSON-encoded). */
  readonly data: string | Uint8Array | object;
  /** Decimal 128-bit hash key; overrides the partition key's MD5 for routing. */
  readonly explicitHashKey?: string;
  /**
   * Optional: this record's number among the records of its partition key in this run, counting 0, 1, 2, ...
   * With it (and the plugin's `seqOf`), `run --verify` keeps per partition key the runs of numbers acknowledged
   * and read back, so its memory grows with the keys and the exceptions, not with the records.
   */
  readonly seq?: number;
}

export interface RecordGenerator {
  next(): GeneratedRecord;
}

export interface GeneratorPlugin {
  readonly name: string;
  create(ctx: GeneratorContext): RecordGenerator;
  /**
   * Optional, with `seq`: reads `seq` back from a record's data as the stream returns it, or undefined when the
   * data is not a record of the run `ctx.runId` (other runs and producers share the stream). Called for every
   * record read back, so keep it cheap. Without it, `run --verify` keeps every acknowledged record's sequence
   * number instead (README "Writing a generator plugin").
   */
  seqOf?(data: Uint8Array, ctx: GeneratorContext): number | undefined;
  /**
   * `spread`: loadgen may give each distinct partition key (device) an explicit hash key so every open shard
   * carries an equal share of them (records that come with their own explicitHashKey keep it); the partition
   * key is unchanged. `own` (the default): records are routed by their own keys, as Kinesis would.
   */
  readonly keys?: 'spread' | 'own';
}
