import { main as walkthrough } from '../../examples/walkthrough';
import { createFakeCluster, type FakeCluster } from '../../src/testing';

// examples/walkthrough.ts over TCP against the fake cluster, which answers the admin calls too.
describe('examples/walkthrough', () => {
  let cluster: FakeCluster;
  afterEach(() => cluster.close());

  it('creates, produces, consumes until lag$ says caught up, resets the lag, deletes group and topic', async () => {
    cluster = createFakeCluster({ autoCreateTopics: false });
    const { brokers } = await cluster.listen();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await walkthrough({ brokers })).toEqual({ before: 0n, after: 3n });
      expect(log.mock.calls.map(([line]) => line as string).sort()).toEqual(['a', 'b', 'c']);
    } finally {
      log.mockRestore();
    }
    expect(cluster.groups.list()).toEqual([]);
    expect(() => cluster.offsets('walkthrough', 0)).toThrow('no partition walkthrough-0');
  });
});
