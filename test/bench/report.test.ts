import { markdownTable, ratio } from '../../bench/report';

describe('bench tables', () => {
  it('pads every column to its widest cell, header and dashes included', () => {
    const table = markdownTable(
      ['client', 'records/s'],
      [
        ['kafka-rx', '2,662,245'],
        ['Java KafkaConsumer', '1'],
      ],
    );
    expect(table.split('\n')).toEqual([
      '| client             | records/s |',
      '| ------------------ | --------- |',
      '| kafka-rx           | 2,662,245 |',
      '| Java KafkaConsumer | 1         |',
    ]);
  });

  it('gives kafka-rx ÷ the client, a dash on its own row and n/a without both figures', () => {
    expect(ratio(3, 2, false)).toBe('1.50x');
    expect(ratio(0.5, 2, false)).toBe('0.25x');
    expect(ratio(3, 2, true)).toBe('—');
    expect(ratio(undefined, 2, false)).toBe('n/a');
    expect(ratio(3, 0, false)).toBe('n/a');
  });
});
