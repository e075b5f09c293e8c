import type { KinesisSender } from '../kinesis/shards';
import { KinesisSink } from './kinesis';
import { LinesSink } from './lines';
import { NullSink } from './null';
import type { Sink, SinkSpec } from './types';

export type { PutEntry, PutResultEntry, Sink, SinkSpec } from './types';

/** Builds the sink `--sink` names; `kinesis` needs a client and a stream. */
export function createSink(spec: SinkSpec, kinesis?: { client: KinesisSender; streamName: string }): Sink {
  switch (spec.kind) {
    case 'null':
      return new NullSink();
    case 'stdout':
      return LinesSink.stdout();
    case 'file':
      return LinesSink.file(spec.path);
    case 'kinesis':
      if (!kinesis) throw new Error('the kinesis sink needs a client and a stream');
      return new KinesisSink(kinesis.client, kinesis.streamName);
  }
}
