import { lastValueFrom } from 'rxjs';
import { createProducer } from '../../../../src/producer';
import {
  createShareConsumer,
  UnacknowledgedRecordsError,
  type AcknowledgementResult,
  type ShareConsumer,
  type ShareConsumerConfig,
  type ShareConsumerEvent,
  type ShareRecord,
} from '../../../../src/consumer';
import { runKafkaToolOk } from '../kafka-tool';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { track, untrack } from '../../child-reaper';
import { JavaProgram } from './java-program';
import { sharedKafka } from '../shared-kafka';
import { shareTopic } from '../share-topic';
import { createTopics, uniqueName } from '../topics';
import { waitUntil } from './wait-until';

/**
 * Share groups (KIP-932) against Kafka 4.4's share coordinator, with kafka-share-groups as the
 * outside judge: records shared record by record among members, released records delivered
 * again with their delivery count, rejected ones never.
 */

const SHARE_GROUP_COMMAND = 'org.apache.kafka.tools.consumer.group.ShareGroupCommand';

interface Member {
  readonly consumer: ShareConsumer;
  readonly records: ShareRecord[];
  readonly acks: AcknowledgementResult[];
  readonly events: ShareConsumerEvent[];
  /** The value of each record read, with its delivery count: `v3#1`. */
  seen(): string[];
}

function member(
  bootstrap: string,
  groupId: string,
  topic: string,
  extra: Partial<ShareConsumerConfig> = {},
  onRecord: (r: ShareRecord) => void = () => {},
): Member {
  const consumer = createShareConsumer({
    brokers: [bootstrap],
    groupId,
    topics: [topic],
    maxWaitMs: 200,
    retryBackoffMs: 50,
    ...extra,
  });
  const records: ShareRecord[] = [];
  const acks: AcknowledgementResult[] = [];
  const events: ShareConsumerEvent[] = [];
  consumer.acknowledgements$.subscribe((a) => acks.push(a));
  consumer.events$.subscribe((e) => events.push(e));
  consumer.records$.subscribe((r) => {
    records.push(r);
    onRecord(r);
  });
  return {
    consumer,
    records,
    acks,
    events,
    seen: () => records.map((r) => `${r.value?.toString()}#${r.deliveryCount}`),
  };
}

async function produce(bootstrap: string, topic: string, values: string[]): Promise<void> {
  const producer = createProducer({ brokers: [bootstrap] });
  try {
    await lastValueFrom(producer.send(values.map((value) => ({ topic, value }))));
  } finally {
    await producer.close();
  }
}

const values = (n: number, prefix = 'v') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('share groups against Kafka 4.4', () => {
  const { bootstrap } = sharedKafka();
  const open: ShareConsumer[] = [];

  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((c) => c.close()));
  });

  it('three members on one partition each get distinct records, and together all', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-three');
    // Each member holds at most 10 records and settles each a little later, as a worker would:
    // the partition's records are then spread over all three.
    const members = [0, 1, 2].map(() =>
      member(bootstrap, group, topic, { maxRecords: 10, acknowledgementMode: 'explicit' }, (r) => {
        setTimeout(() => r.accept(), 5);
      }),
    );
    open.push(...members.map((m) => m.consumer));
    const assigned = (m: Member) => m.events.some((e) => e.type === 'sync' && e.assignment.length > 0);
    await waitUntil(() => members.every(assigned), 30000, 'all three members assigned the partition');
    const written = values(300);
    await produce(bootstrap, topic, written);
    const total = () => members.reduce((n, m) => n + m.records.length, 0);
    await waitUntil(() => total() >= written.length, 60000, 'all records read');

    const read = members.flatMap((m) => m.records.map((r) => r.value?.toString()));
    expect(read.length).toBe(written.length);
    expect([...new Set(read)].sort()).toEqual([...written].sort());
    expect(members.flatMap((m) => m.records.map((r) => r.deliveryCount))).toEqual(written.map(() => 1));
    // The partition was shared: each member took some of it.
    for (const m of members) expect(m.records.length).toBeGreaterThan(0);
    // Every record was accepted, and the broker said so.
    await waitUntil(
      () => members.reduce((n, m) => n + m.acks.flatMap((a) => a.records).length, 0) >= written.length,
      20000,
      'every record acknowledged',
    );
    const acked = members.flatMap((m) => m.acks.flatMap((a) => a.records));
    expect(acked.filter((a) => a.type !== 'accept' || a.error !== undefined)).toEqual([]);
  }, 120000);

  it('a released record comes back with deliveryCount 2; a rejected one never comes back', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-settle');
    await produce(bootstrap, topic, ['keep', 'again', 'poison']);
    const m = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => {
      const value = r.value?.toString();
      if (value === 'again' && r.deliveryCount === 1) r.release();
      else if (value === 'poison') r.reject();
      else r.accept();
    });
    open.push(m.consumer);
    await waitUntil(() => m.seen().includes('again#2'), 30000, 'the released record delivered again');
    // Later records prove the fetch loop went on past the rejected one without seeing it again.
    await produce(bootstrap, topic, ['after']);
    await waitUntil(() => m.seen().includes('after#1'), 30000, 'a later record');
    await waitUntil(() => m.acks.flatMap((a) => a.records).length >= 5, 20000, 'every settlement answered');

    expect(m.seen()).toEqual(['keep#1', 'again#1', 'poison#1', 'again#2', 'after#1']);
    const outcomes = m.acks.flatMap((a) =>
      a.records.map((r) => `${r.offset}:${r.type}${r.error ? '!' : ''}`),
    );
    expect(outcomes.sort()).toEqual(['0:accept', '1:accept', '1:release', '2:reject', '3:accept']);
  }, 60000);

  it('records a member holds past the acquisition lock go to another member, and events$ says so', async () => {
    // A lock the other member's join fits in with room to spare; the test broker allows down to 5 s
    // (group.share.min.record.lock.duration.ms).
    const { topic, group } = await shareTopic(bootstrap, 'share-lock', 1, 8000);
    await produce(bootstrap, topic, values(5));
    // A stuck worker: takes records and never settles them. Holding its maxRecords, it asks for no
    // more until its own lock timer runs out, so the broker's redelivery goes to the other member
    // (with room to spare, the stuck member's next ShareFetch could take them back itself).
    const stuck = member(bootstrap, group, topic, { acknowledgementMode: 'explicit', maxRecords: 5 });
    open.push(stuck.consumer);
    await waitUntil(() => stuck.records.length === 5, 30000, 'the stuck member holds all five');
    const other = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => r.accept());
    open.push(other.consumer);
    await waitUntil(() => other.records.length === 5, 40000, 'the other member gets them after the lock');

    expect(other.seen()).toEqual(values(5).map((v) => `${v}#2`));
    // The broker's lock started before the response reached the member: its own timer runs out a little later.
    const expiredOffsets = () =>
      stuck.events.flatMap((e) => (e.type === 'acquisition-lock-expired' ? e.offsets : []));
    await waitUntil(() => expiredOffsets().length > 0, 5000, 'the lock expiry said on events$');
    const expired = expiredOffsets();
    expect(expired.map(String)).toEqual(['0', '1', '2', '3', '4']);
  }, 90000);

  it("shares a group with Kafka's KafkaShareConsumer: each record read once, by one or the other", async () => {
    const topic = uniqueName('share-java');
    const group = uniqueName('share-java-g');
    await createTopics(bootstrap, [{ name: topic, partitions: 1 }]);
    const java = new JavaProgram<{ event: string; value?: string; deliveryCount?: number }>('share', [
      bootstrap,
      group,
      topic,
      'java-share',
    ]);
    try {
      const rx = member(bootstrap, group, topic, { maxRecords: 5, acknowledgementMode: 'explicit' }, (r) => {
        setTimeout(() => r.accept(), 5);
      });
      open.push(rx.consumer);
      await waitUntil(
        () => rx.events.some((e) => e.type === 'sync' && e.assignment.length > 0),
        30000,
        'rx assigned',
      );
      await java.waitFor(
        (lines) => lines.some((l) => l.event === 'polling'),
        60000,
        'the Java member polling',
      );
      const written = values(200);
      // Batches of 5: the Java consumer acquires whole batches (its default acquire mode), so one
      // batch of 200 would all go to whichever member fetched first.
      for (let i = 0; i < written.length; i += 5) await produce(bootstrap, topic, written.slice(i, i + 5));
      const javaValues = () => java.lines.filter((l) => l.event === 'record').map((l) => l.value!);
      await waitUntil(
        () => rx.records.length + javaValues().length >= written.length,
        60000,
        'all records read',
      );

      const read = [...rx.records.map((r) => r.value!.toString()), ...javaValues()];
      expect(read.length).toBe(written.length);
      expect([...new Set(read)].sort()).toEqual([...written].sort());
      expect(rx.records.length).toBeGreaterThan(0);
      expect(javaValues().length).toBeGreaterThan(0);
    } finally {
      java.send('close');
      await java
        .waitFor((lines) => lines.some((l) => l.event === 'closed'), 20000, 'java closed')
        .catch(() => undefined);
      await java.stop();
    }
  }, 120000);

  it('explicit mode: close() with records never settled rejects naming them, and releases them at once', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-unacked');
    await produce(bootstrap, topic, values(3));
    const careless = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => {
      if (r.value?.toString() === 'v0') r.accept();
    });
    await waitUntil(() => careless.records.length === 3, 30000, 'three records read');
    const closed = careless.consumer.close();
    await expect(closed).rejects.toThrow(UnacknowledgedRecordsError);
    await expect(closed).rejects.toThrow(
      /^2 record\(s\) were never acknowledged .*: share-unacked-\S+\/0@1, \S+\/0@2; they were released$/,
    );
    // Released, not left to the lock: the next member gets them at once, delivered a second time.
    const next = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => r.accept());
    open.push(next.consumer);
    await waitUntil(() => next.records.length === 2, 10000, 'the released records delivered again');
    expect(next.seen()).toEqual(['v1#2', 'v2#2']);
  }, 60000);

  it('a member killed while holding records: another member gets them, delivered a second time', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-killed', 1, 15000);
    await produce(bootstrap, topic, values(4));
    const root = join(__dirname, '..', '..', '..', '..');
    const holder = spawn(
      process.execPath,
      [
        '--require',
        join(root, 'bench', 'register.js'),
        join(__dirname, 'share-holder.ts'),
        bootstrap,
        group,
        topic,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    track(holder.pid!);
    let out = '';
    holder.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await waitUntil(() => out.includes('held 4'), 30000, 'the holder holds all four');
    } finally {
      holder.kill('SIGKILL');
      await exited;
      untrack(holder.pid!);
    }
    const killedAt = performance.now();
    const next = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => r.accept());
    open.push(next.consumer);
    await waitUntil(() => next.records.length === 4, 40000, 'the held records delivered again');
    expect(next.seen()).toEqual(values(4).map((v) => `${v}#2`));
    // Kafka releases the records of a share session whose connection dropped, well before the 15 s lock.
    expect(performance.now() - killedAt).toBeLessThan(15000);
  }, 90000);

  it('renew() is answered by the broker (ShareAcknowledge v2, KIP-1222), and the record is accepted after', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-renew');
    await produce(bootstrap, topic, ['slow']);
    const m = member(bootstrap, group, topic, { acknowledgementMode: 'explicit' }, (r) => r.renew());
    open.push(m.consumer);
    await waitUntil(() => m.acks.length > 0, 30000, 'the renewal answered');
    m.records[0]!.accept();
    await waitUntil(() => m.acks.length > 1, 10000, 'the acceptance answered');
    expect(m.acks.map((a) => [a.api, a.records.map((r) => [r.offset, r.type, r.error?.name])])).toEqual([
      ['ShareAcknowledge', [[0n, 'renew', undefined]]],
      [expect.any(String), [[0n, 'accept', undefined]]],
    ]);
  }, 60000);

  it('kafka-share-groups --describe shows the members and where the group stands', async () => {
    const { topic, group } = await shareTopic(bootstrap, 'share-describe', 2);
    await produce(bootstrap, topic, values(20));
    const members = [member(bootstrap, group, topic), member(bootstrap, group, topic)];
    open.push(...members.map((m) => m.consumer));
    await waitUntil(() => members.reduce((n, m) => n + m.records.length, 0) >= 20, 30000, 'all records read');

    const { stdout } = await runKafkaToolOk(SHARE_GROUP_COMMAND, [
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--group',
      group,
      '--members',
    ]);
    const rows = stdout
      .split('\n')
      .filter((l) => l.startsWith(group))
      .map((l) => l.trim().split(/\s+/));
    // One row per member: GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS ...
    expect(rows).toHaveLength(2);
    const joined = members.map((m) => m.events.find((e) => e.type === 'join'));
    const ids = joined.map((e) => (e?.type === 'join' ? e.memberId : ''));
    expect(rows.map((r) => r[1]).sort()).toEqual([...ids].sort());
  }, 60000);
});
