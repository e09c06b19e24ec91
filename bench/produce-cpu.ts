/**
 * The producer's own CPU and memory per record, in process, with no broker: a stand-in cluster
 * acknowledges every Produce at once (on the next turn of the event loop), so what is measured is
 * the send path (checks, partitioner, records written into batches, sealing, results), not the
 * network or a broker. For finding costs with `--cpu-prof`; a shared machine's wall time is noise,
 * so it prints CPU time (process.cpuUsage) from the first send to the last acknowledgement. Run:
 *
 *   node --require ./bench/register.js bench/produce-cpu.ts [--records 100000] [--mode send|produce]
 *        [--value-bytes 100] [--partitions 8] [--runs 3] [--send-size 1000]
 *
 * `send`: arrays of `--send-size` records (1000; 1 is a send per record, as code written for
 * KafkaJS does), made before the clock starts (as bench/produce-runners/kafka-rx.ts);
 * `produce`: the `produce` operator from a generator (as kafka-rx-operator.ts). Keys are `k<i>`.
 * `--warm` sends one record and waits for it first, as a producer that has sent before (its
 * metadata known, so no send waits). Each run is a fresh producer; after `--warmup` runs (2) the median of `--runs` (3) is printed, with
 * peak RSS (whole process: the records made up front and the warm-up runs included).
 *
 * `--pending N` (with `node --expose-gc`) measures memory instead: the heap a pending send holds,
 * from heapUsed before and after making N sends of `--send-size` records to a stand-in that never
 * answers Produce (so they all stay pending), after a full GC each time.
 */
import { parseArgs } from 'node:util';
import { asyncScheduler, count, defer, from, lastValueFrom, NEVER, Observable, of } from 'rxjs';
import type { Cluster, ClusterMetadata, PartitionMetadata } from '../src/cluster/cluster';
import { createProducerOn, produce, type ProducerRecord } from '../src/producer';
import type { ApiSpec, Message } from '../src/protocol/spec';
import type { ResponseOf } from '../src/protocol/spec-types';
import type { BrokerAddress, RequestBody } from '../src/transport/transport';

const BROKER: BrokerAddress = { host: 'stand-in', port: 9092, nodeId: 1 };

/** Answers Metadata from a fixed topic, InitProducerId with id 1, Produce with the next offsets. */
function standInCluster(topic: string, partitions: number, answers = true): Cluster {
  const parts: PartitionMetadata[] = Array.from({ length: partitions }, (_, partition) => ({
    partition,
    leader: 1,
    leaderEpoch: 0,
    replicas: [1],
    isr: [1],
    errorCode: 0,
  }));
  const metadata: ClusterMetadata = {
    clusterId: 'stand-in',
    controllerId: 1,
    brokers: new Map([[1, BROKER]]),
    topics: new Map([[topic, { name: topic, errorCode: 0, partitions: parts }]]),
  };
  const next = new Array<bigint>(partitions).fill(0n);
  const answer = (message: Message): Message => ({
    throttleTimeMs: 0,
    responses: message.topicData.map((t: Message) => ({
      name: t.name,
      partitionResponses: t.partitionData.map((p: Message) => {
        const baseOffset = next[p.index];
        next[p.index] += BigInt((p.records as Buffer).readInt32BE(57)); // the batch's record count
        return { index: p.index, errorCode: 0, baseOffset, logAppendTimeMs: -1n, logStartOffset: 0n };
      }),
    })),
  });
  const later = <T>(value: T): Observable<T> =>
    new Observable<T>((subscriber) => {
      setImmediate(() => {
        subscriber.next(value);
        subscriber.complete();
      });
    });
  const request = <A extends ApiSpec>(_: BrokerAddress, api: A, body: RequestBody<A>) =>
    defer(() => {
      const message: Message = typeof body === 'function' ? body(api.maxVersion) : body;
      if (api.name === 'InitProducerId')
        return later({
          errorCode: 0,
          producerId: 1n,
          producerEpoch: 0,
          throttleTimeMs: 0,
        } as unknown as ResponseOf<A>);
      if (api.name === 'Produce') return answers ? later(answer(message) as ResponseOf<A>) : NEVER;
      throw new Error(`the stand-in cluster does not answer ${api.name}`);
    });
  return {
    clock: undefined as never,
    transport: undefined as never,
    // Later, as from a broker: a producer's first sends wait for it, as they do over TCP.
    metadata: () => later(metadata),
    refreshMetadata: () => later(metadata),
    leaderFor: () => of(BROKER),
    coordinator: () => of(BROKER),
    coordinatorDead: () => undefined,
    request,
    requestAny: (api, body) => request(BROKER, api, body),
    close: async () => undefined,
  } as Cluster;
}

function* recordNumbers(records: number): Generator<number> {
  for (let i = 0; i < records; i++) yield i;
}

async function run(
  mode: string,
  records: number,
  valueBytes: number,
  partitions: number,
  warm: boolean,
  sendSize: number,
): Promise<number> {
  const topic = 'bench';
  const value = Buffer.alloc(valueBytes, 'v');
  const cluster = { ...standInCluster(topic, partitions), clock: asyncScheduler };
  const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: true });
  // A producer that has sent before knows its topic: no send waits for metadata.
  if (warm) await producer.send({ topic, value });
  let made: Observable<unknown>;
  let cpu: NodeJS.CpuUsage;
  if (mode === 'send') {
    const keys = Array.from({ length: records }, (_, i) => `k${i}`);
    const chunks: ProducerRecord[][] = [];
    for (let i = 0; i < records; i += sendSize)
      chunks.push(keys.slice(i, i + sendSize).map((key) => ({ topic, key, value })));
    cpu = process.cpuUsage();
    // Promise.all, as a caller awaiting its sends would: RxJS's forkJoin over 20,000 sources
    // removes each finished one from an array of them all, quadratic time that is not the producer's.
    made = from(Promise.all(chunks.map((chunk) => producer.send(chunk))));
  } else {
    cpu = process.cpuUsage();
    made = from(recordNumbers(records)).pipe(
      produce(producer, (i: number) => ({ topic, key: `k${i}`, value })),
      count(),
    );
  }
  await lastValueFrom(made);
  const used = process.cpuUsage(cpu);
  await producer.close();
  return (used.user + used.system) / records;
}

/** Heap bytes per pending send: `sends` sends of `sendSize` records that are never acknowledged. */
async function pendingHeap(
  sends: number,
  sendSize: number,
  valueBytes: number,
  partitions: number,
): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('--pending needs node --expose-gc');
  const topic = 'bench';
  const value = Buffer.alloc(valueBytes, 'v');
  const cluster = { ...standInCluster(topic, partitions, false), clock: asyncScheduler };
  const producer = createProducerOn({ brokers: [] }, { cluster, ownsCluster: true });
  // Metadata first (the first send waits for it), so every measured send is placed at once.
  producer.send({ topic, value });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const chunks = Array.from({ length: sends }, (_, s) =>
    Array.from({ length: sendSize }, (_, i) => ({ topic, key: `k${s * sendSize + i}`, value })),
  );
  const pending = new Array<unknown>(sends);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let s = 0; s < sends; s++) pending[s] = producer.send(sendSize === 1 ? chunks[s][0] : chunks[s]);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (pending.length !== sends) throw new Error('lost a send');
  return (after - before) / sends;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      records: { type: 'string', default: '100000' },
      mode: { type: 'string', default: 'send' },
      'value-bytes': { type: 'string', default: '100' },
      partitions: { type: 'string', default: '8' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '2' },
      warm: { type: 'boolean', default: false },
      'send-size': { type: 'string', default: '1000' },
      pending: { type: 'string' },
    },
  });
  if (values.pending !== undefined) {
    const perSend = await pendingHeap(
      Number(values.pending),
      Number(values['send-size']),
      Number(values['value-bytes']),
      Number(values.partitions),
    );
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      `${values.pending} pending sends of ${values['send-size']}: heap per send ${perSend.toFixed(0)} bytes, peak RSS ${rssMb.toFixed(0)} MB`,
    );
    process.exit(0);
  }
  // Peaks of the V8 heap and of memory outside it (batch buffers), sampled while the runs go.
  const peak = { heapUsed: 0, heapTotal: 0, external: 0 };
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, usage.heapTotal);
    peak.external = Math.max(peak.external, usage.external);
  }, 5);
  const perRecord: number[] = [];
  const warmup = Number(values.warmup);
  for (let i = 0; i < warmup + Number(values.runs); i++) {
    const us = await run(
      values.mode!,
      Number(values.records),
      Number(values['value-bytes']),
      Number(values.partitions),
      values.warm!,
      Number(values['send-size']),
    );
    // The first runs compile the send path: they measure V8, not the producer.
    if (i >= warmup) perRecord.push(us);
  }
  clearInterval(sampler);
  const sorted = [...perRecord].sort((a, b) => a - b);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${values.mode} ${values.records} records: CPU per record ${sorted[sorted.length >> 1].toFixed(2)} µs ` +
      `(runs: ${perRecord.map((us) => us.toFixed(2)).join(', ')}), peak RSS ${rssMb.toFixed(0)} MB, ` +
      `peaks: heap used ${mb(peak.heapUsed)} MB, heap ${mb(peak.heapTotal)} MB, external ${mb(peak.external)} MB`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
