/**
 * Which devices (partition keys) a segment sends for, and which of their `seq` numbers: disjoint across the
 * segments of a run and together all of them. With at least as many devices as segments, segment s of n owns
 * devices s, s + n, s + 2n, ... whole. With fewer, each device is shared by the segments congruent to it, and those
 * take turns with its numbers: the m segments sharing device d take seq j, j + m, j + 2m, ... (j = their rank),
 * so every (device, seq) is sent by exactly one segment and the numbers of all segments together have no gaps.
 */

/** One device a segment sends for: its index among all devices and the `seq` numbers that are this segment's. */
export interface DeviceLane {
  readonly device: number;
  /** The first seq this segment sends for the device. */
  readonly firstSeq: number;
  /** The step between this segment's seq numbers for the device (1: the device is the segment's alone). */
  readonly stride: number;
}

/** The lanes of segment `index` (0-based) of `count` over `devices` devices. */
export function deviceLanes(devices: number, index: number, count: number): DeviceLane[] {
  if (devices >= count) {
    const lanes: DeviceLane[] = [];
    for (let device = index; device < devices; device += count) lanes.push({ device, firstSeq: 0, stride: 1 });
    return lanes;
  }
  const device = index % devices;
  // Segments d, d + D, d + 2D, ... share device d; this one is the j-th of them.
  const sharers = Math.floor((count - 1 - device) / devices) + 1;
  return [{ device, firstSeq: Math.floor(index / devices), stride: sharers }];
}
