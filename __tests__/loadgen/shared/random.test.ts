import { RandomStreams, mulberry32, streamSeed } from '../../../loadgen/shared/random';

describe('random streams', () => {
  it('stream i gives what mulberry32 seeded with its stream seed gives', () => {
    const streams = new RandomStreams(42, [0, 7]);
    const plain = mulberry32(streamSeed(42, 7));
    for (let k = 0; k < 1000; k++) expect(streams.next(1)).toBe(plain());
  });

  it('skip(i, k) moves a stream on exactly as k calls of next(i), and leaves the other streams alone', () => {
    for (const k of [0, 1, 3, 4, 1000, 123_457]) {
      const skipped = new RandomStreams(9, [3, 5]);
      const stepped = new RandomStreams(9, [3, 5]);
      skipped.skip(0, k);
      for (let j = 0; j < k; j++) stepped.next(0);
      for (let j = 0; j < 20; j++) expect(skipped.next(0)).toBe(stepped.next(0));
      expect(skipped.next(1)).toBe(stepped.next(1));
    }
  });
});
