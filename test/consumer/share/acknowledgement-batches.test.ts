import { acknowledgementBatches } from '../../../src/consumer/share/acknowledgement-batches';

describe('acknowledgementBatches', () => {
  it('joins consecutive offsets of one type into a batch with that single type', () => {
    const acks = [3n, 1n, 2n].map((offset) => ({ offset, type: 'accept' as const }));
    expect(acknowledgementBatches(acks)).toEqual([
      { firstOffset: 1n, lastOffset: 3n, acknowledgeTypes: [1] },
    ]);
  });

  it('starts a new batch at a gap in the offsets and at a change of type, with Kafka codes', () => {
    expect(
      acknowledgementBatches([
        { offset: 10n, type: 'accept' },
        { offset: 11n, type: 'release' },
        { offset: 12n, type: 'release' },
        { offset: 13n, type: 'gap' },
        { offset: 14n, type: 'reject' },
        { offset: 16n, type: 'reject' },
        { offset: 17n, type: 'renew' },
      ]),
    ).toEqual([
      { firstOffset: 10n, lastOffset: 10n, acknowledgeTypes: [1] },
      { firstOffset: 11n, lastOffset: 12n, acknowledgeTypes: [2] },
      { firstOffset: 13n, lastOffset: 13n, acknowledgeTypes: [0] },
      { firstOffset: 14n, lastOffset: 14n, acknowledgeTypes: [3] },
      { firstOffset: 16n, lastOffset: 16n, acknowledgeTypes: [3] },
      { firstOffset: 17n, lastOffset: 17n, acknowledgeTypes: [4] },
    ]);
  });

  it('has no batch for no acknowledgement', () => {
    expect(acknowledgementBatches([])).toEqual([]);
  });
});
