import { BUILDS } from './builds';
import { CODECS, consume, keyedRecords, produce } from './kcat';
import { startMockCluster, type MockCluster } from './mock-cluster';

describe.each(BUILDS)('kcat round trip through the %s mock broker', (build) => {
  let cluster: MockCluster;

  beforeAll(async () => {
    cluster = await startMockCluster({
      build,
      brokers: 1,
      topics: CODECS.map((c) => ({ name: `rt-${c}`, partitions: 1 })),
    });
  });
  afterAll(() => cluster?.stop());

  it.each(CODECS)('keeps keys, values and headers with codec %s', async (codec) => {
    const records = keyedRecords(25, `${codec}-`);
    const headers: [string, string][] = [
      ['trace', `t-${codec}`],
      ['empty', ''],
    ];
    await produce({ bootstrap: cluster.bootstrap, build, topic: `rt-${codec}`, records, headers, codec });

    const read = await consume({ bootstrap: cluster.bootstrap, build, topic: `rt-${codec}` });

    expect(read.map((r) => ({ key: r.key, value: r.value }))).toEqual(records);
    expect(read.map((r) => r.offset)).toEqual(records.map((_, i) => i));
    for (const r of read) expect(r.headers).toEqual(headers);
  });
});
