import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { createPocProducer } from '../../../loadgen/generators/poc-producer';
import type { GeneratorContext, RecordGenerator } from '../../../loadgen/generators/types';
import { deviceLanes } from '../../../loadgen/segments/device-share';

type Create = (ctx: GeneratorContext) => RecordGenerator;
const GENERATORS: [string, Create][] = [
  ['iot-sensor', createIotSensor],
  ['poc-producer', createPocProducer],
];

/** `count` records of segment `index` (0-based) of `segments`, keyed `device#seq`, payloads without the wall-clock timestamp. */
function records(create: Create, devices: number, index: number, segments: number, count: number): Map<string, string> {
  const generator = create({ seed: 31, devices, anomalyRate: 0.2, workerIndex: index, workerCount: segments, runId: 'run-a' });
  const out = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const { partitionKey, data, seq } = generator.next();
    const key = `${partitionKey}#${seq}`;
    if (out.has(key)) throw new Error(`${key} twice`);
    out.set(key, (data as string).replace(/"timestamp":\d+,/, ''));
  }
  return out;
}

describe('device shares of segments', () => {
  it('gives each segment whole devices when there are enough, and shares a device\'s numbers when there are not', () => {
    expect(deviceLanes(7, 1, 3)).toEqual([1, 4].map((device) => ({ device, firstSeq: 0, stride: 1 })));
    // 2 devices, 5 segments: segments 0, 2, 4 take turns on device 0, segments 1 and 3 on device 1.
    expect([0, 1, 2, 3, 4].map((s) => deviceLanes(2, s, 5))).toEqual([
      [{ device: 0, firstSeq: 0, stride: 3 }],
      [{ device: 1, firstSeq: 0, stride: 2 }],
      [{ device: 0, firstSeq: 1, stride: 3 }],
      [{ device: 1, firstSeq: 1, stride: 2 }],
      [{ device: 0, firstSeq: 2, stride: 3 }],
    ]);
  });

  describe.each(GENERATORS)('%s', (_name, create) => {
    it('sends, in segments, exactly the records of the whole run when the segment count divides the devices', () => {
      const whole = records(create, 12, 0, 1, 600);
      const segments = [0, 1, 2].map((s) => records(create, 12, s, 3, 200));
      const union = new Map(segments.flatMap((m) => [...m]));
      expect(union.size).toBe(600); // disjoint
      expect(union).toEqual(whole);
    });

    it('sends the whole run\'s readings for every (device, seq) it sends, whatever the cut, devices disjoint when there are enough', () => {
      for (const [devices, segmentCount] of [[10, 3], [7, 7], [1000, 16]]) {
        // Enough of the whole run for any device's numbers the segments reach (a segment with fewer devices gives each more).
        const whole = records(create, devices, 0, 1, 6000);
        const devicesOf = [] as Set<string>[];
        for (let s = 0; s < segmentCount; s++) {
          const part = records(create, devices, s, segmentCount, Math.floor(4000 / segmentCount));
          expect([...part].filter(([key, payload]) => whole.get(key) !== payload)).toEqual([]);
          devicesOf.push(new Set([...part.keys()].map((k) => k.split('#')[0])));
        }
        const all = devicesOf.flatMap((d) => [...d]);
        expect(new Set(all).size).toBe(all.length); // no device in two segments
        expect(all).toHaveLength(devices);
      }
    });

    it('runs more segments than devices (a device\'s numbers taken in turns): no record twice, no gap, the whole run\'s readings', () => {
      const whole = records(create, 2, 0, 1, 300);
      const union = new Map<string, string>();
      for (let s = 0; s < 5; s++) for (const [key, payload] of records(create, 2, s, 5, 30)) union.set(key, payload);
      expect(union.size).toBe(150);
      for (const [key, payload] of union) expect(payload).toBe(whole.get(key));
      // Segments 0, 2, 4 made device 0's seq 0..89; segments 1, 3 device 1's 0..59: no gaps.
      const seqs = (device: string) => [...union.keys()].filter((k) => k.startsWith(device)).map((k) => Number(k.split('#')[1])).sort((a, b) => a - b);
      const lengths = [...new Set([...union.keys()].map((k) => k.split('#')[0]))].map(seqs).sort((a, b) => b.length - a.length);
      expect(lengths).toEqual([90, 60].map((n) => Array.from({ length: n }, (_, i) => i)));
    });
  });
});
