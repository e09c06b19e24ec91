import { PassThrough } from 'node:stream';
import { progressLine } from '../../src/cli/progress-line';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
}

describe('progressLine', () => {
  it('on a terminal rewrites one line in place and prints notes above it', () => {
    const { out, text } = capture();
    const line = progressLine(out, true);
    line.update('10 records');
    line.update('20 records');
    line.note('rebalanced');
    line.end();
    expect(text()).toBe(
      '\r10 records\x1b[K' + '\r20 records\x1b[K' + '\rrebalanced\x1b[K\n20 records' + '\n',
    );
  });

  it('elsewhere prints every update and note as a line of its own', () => {
    const { out, text } = capture();
    const line = progressLine(out, false);
    line.update('10 records');
    line.note('rebalanced');
    line.update('20 records');
    line.end();
    expect(text()).toBe('10 records\nrebalanced\n20 records\n');
  });
});
