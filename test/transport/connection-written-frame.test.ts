import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NEVER } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ApiVersions } from '../../src/protocol/specs/api-versions';
import { Connection } from '../../src/transport/connection';
import type { FrameChannel } from '../../src/transport/frame-channel';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('a connection', () => {
  it('lets go of a request’s frame once written, while the response is awaited', async () => {
    const written: WeakRef<Buffer | readonly Buffer[]>[] = [];
    const channel: FrameChannel = {
      frames$: NEVER, // no response comes
      write: (frame) => void written.push(new WeakRef(frame)),
      close: () => undefined,
    };
    const clock = new TestScheduler((a, b) => expect(a).toEqual(b));
    const connection = new Connection({ host: 'broker1', port: 9092, nodeId: 1 }, channel, {
      clock,
      clientId: 'test',
      maxInFlightRequests: 5,
      requestTimeoutMs: 30000,
    });
    let settled = false;
    connection
      .send(ApiVersions, 0, {})
      .subscribe({ next: () => (settled = true), error: () => (settled = true) });
    expect(written).toHaveLength(1);
    // A WeakRef keeps its target alive until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(settled).toBe(false);
    expect(connection.inFlightCount).toBe(1);
    expect(written[0].deref()).toBeUndefined();
  });
});
