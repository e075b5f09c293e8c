/**
 * `seqOf` of the built-in generators: reads `seq` back from a sensor-contract record of this run, for
 * `run --verify`. It runs for every record read back, so it looks for the run's `"run_id":"..."` and the digits
 * after `"seq":` in the bytes, without decoding or parsing the record.
 */
import type { GeneratorContext } from './types';

const SEQ_FIELD = Buffer.from('"seq":');
const DIGIT_0 = 48;
const DIGIT_9 = 57;
let runMarker = { runId: '', bytes: Buffer.alloc(0) };

/** `seq` of a record of run `ctx.runId`, or undefined for anything else. */
export function sensorSeqOf(data: Uint8Array, ctx: GeneratorContext): number | undefined {
  if (runMarker.runId !== ctx.runId) runMarker = { runId: ctx.runId, bytes: Buffer.from(`"run_id":${JSON.stringify(ctx.runId)}`) };
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.indexOf(runMarker.bytes) < 0) return undefined;
  const at = bytes.indexOf(SEQ_FIELD);
  if (at < 0) return undefined;
  let seq = 0;
  let i = at + SEQ_FIELD.length;
  const start = i;
  for (; i < bytes.length && bytes[i] >= DIGIT_0 && bytes[i] <= DIGIT_9; i++) seq = seq * 10 + (bytes[i] - DIGIT_0);
  return i > start ? seq : undefined;
}
