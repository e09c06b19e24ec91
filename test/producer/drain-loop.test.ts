import { drainLoop } from '../../src/producer/drain-loop';

describe('drainLoop', () => {
  it('runs the pass at once, on the caller stack', () => {
    const passes: string[] = [];
    const drain = drainLoop(() => passes.push('pass'));
    drain();
    expect(passes).toEqual(['pass']);
    drain();
    expect(passes).toEqual(['pass', 'pass']);
  });

  it('runs a call made during a pass once more after it, not inside it', () => {
    const log: string[] = [];
    let depth = 0;
    let passes = 0;
    const drain = drainLoop(() => {
      depth++;
      passes++;
      log.push(`start ${passes} at depth ${depth}`);
      if (passes === 1) {
        drain();
        drain();
        drain();
      }
      log.push(`end ${passes}`);
      depth--;
    });
    drain();
    expect(log).toEqual(['start 1 at depth 1', 'end 1', 'start 2 at depth 1', 'end 2']);
  });

  it('loops while each pass asks for another, without growing the stack', () => {
    let passes = 0;
    const drain = drainLoop(() => {
      passes++;
      if (passes < 200_000) drain();
    });
    expect(() => drain()).not.toThrow();
    expect(passes).toBe(200_000);
  });

  it('settles once, after the last pass, not for the calls made inside', () => {
    const log: string[] = [];
    let passes = 0;
    const drain = drainLoop(
      () => {
        passes++;
        log.push(`pass ${passes}`);
        if (passes === 1) drain();
      },
      () => log.push('settled'),
    );
    drain();
    expect(log).toEqual(['pass 1', 'pass 2', 'settled']);
  });

  it('runs again after a pass threw', () => {
    let passes = 0;
    const drain = drainLoop(() => {
      passes++;
      if (passes === 1) throw new Error('first pass failed');
    });
    expect(() => drain()).toThrow('first pass failed');
    drain();
    expect(passes).toBe(2);
  });
});
