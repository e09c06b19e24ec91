import { defer, map, Observable, of, Subject, throwError, timer, VirtualTimeScheduler } from 'rxjs';
import type { Cluster } from '../../../src/cluster/cluster';
import { resolveConsumerConfig } from '../../../src/consumer/config';
import { ConsumerClosedError } from '../../../src/consumer/errors';
import { initialMembership, type MembershipState } from '../../../src/consumer/membership/state';
import { Committer, type CommitSource } from '../../../src/consumer/offsets/committer';
import { PartitionRegistry } from '../../../src/consumer/offsets/partition-registry';
import type { CommitResult } from '../../../src/consumer/types';
import { KafkaRxError } from '../../../src/errors';
import { ErrorCode, protocolError } from '../../../src/protocol/errors';
import type { Message } from '../../../src/protocol/spec';
import { ConnectionError } from '../../../src/transport/errors';

const broker = { host: 'localhost', port: 9092, nodeId: 1 };
const config = {
  ...resolveConsumerConfig({ brokers: ['localhost:9092'], groupId: 'g', topics: ['t'] }),
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
};

/** An OffsetCommit answer: one error code per partition of topic t. */
const answer = (...codes: number[]): Message => ({
  topics: [{ name: 't', partitions: codes.map((errorCode, i) => ({ partitionIndex: i, errorCode })) }],
});

type Reply = Message | Error | { delayMs: number; reply: Message };

/** A coordinator that answers OffsetCommit requests with the replies given, in order, on a virtual clock. */
function scripted(...replies: Reply[]) {
  const clock = new VirtualTimeScheduler();
  const sent: Array<{ at: number; body: Message }> = [];
  const dead: string[] = [];
  const cluster = {
    clock,
    coordinator: (key: string) => of({ ...broker, key }),
    coordinatorDead: (key: string) => dead.push(`${key}@${clock.now()}`),
    request: (_b: unknown, _api: unknown, body: Message): Observable<Message> =>
      defer(() => {
        sent.push({ at: clock.now(), body });
        const reply = replies.shift();
        if (reply === undefined) throw new Error('no reply scripted');
        if (reply instanceof Error) return throwError(() => reply);
        if ('delayMs' in reply) return timer(reply.delayMs, clock).pipe(map(() => reply.reply));
        return of(reply);
      }),
  } as unknown as Cluster;
  const commits: CommitResult[] = [];
  const subject = new Subject<CommitResult>();
  subject.subscribe((c) => commits.push(c));
  const committer = new Committer({ cluster, config, commits: subject });
  return { clock, sent, dead, commits, committer };
}

function source(membership: MembershipState | null, consumed: Array<[number, bigint]> = []): CommitSource {
  const registry = new PartitionRegistry('auto', 100);
  for (const [partition, offset] of consumed) registry.add({ topic: 't', partition }).setPosition(offset);
  return { registry, membership: () => membership };
}

const stable: MembershipState = { ...initialMembership(), phase: 'stable', memberId: 'm1', generationId: 7 };
const o = (partition: number, offset: bigint) => ({ topic: 't', partition, offset });
/** The stable member, having consumed t/0 up to offset 5 and t/1 up to 9. */
const consumedTo5And9 = () =>
  source(stable, [
    [0, 5n],
    [1, 9n],
  ]);

function collect(obs: Observable<CommitResult>): CommitResult[] {
  const out: CommitResult[] = [];
  obs.subscribe((r) => out.push(r));
  return out;
}

describe('Committer', () => {
  it('commits the consumed offsets with the generation and member id, and records them as committed', () => {
    const { clock, sent, commits, committer } = scripted(answer(0, 0));
    const from = consumedTo5And9();
    const results = collect(committer.commit$('auto', null, null, from));
    clock.flush();
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatchObject({ groupId: 'g', generationIdOrMemberEpoch: 7, memberId: 'm1' });
    expect(results).toEqual([{ offsets: [o(0, 5n), o(1, 9n)], trigger: 'auto' }]);
    expect(Object.keys(results[0])).toEqual(['offsets', 'trigger']);
    expect(commits).toEqual(results);
    expect(from.registry!.get({ topic: 't', partition: 1 })!.committed).toBe(9n);
  });

  it('during a rebalance still commits within the generation; outside one, as a standalone consumer', () => {
    const rebalancing = { ...stable, phase: 'rebalancing' as const };
    const joining = { ...stable, phase: 'joining' as const };
    const noGeneration = { ...stable, generationId: -1 };
    const { clock, sent, committer } = scripted(answer(0), answer(0), answer(0), answer(0));
    for (const m of [rebalancing, joining, noGeneration, null]) {
      committer.commit$('manual', [o(0, 1n)], null, source(m)).subscribe();
    }
    clock.flush();
    expect(sent.map((s) => [s.body.generationIdOrMemberEpoch, s.body.memberId])).toEqual([
      [7, 'm1'],
      [-1, ''],
      [-1, ''],
      [-1, ''],
    ]);
  });

  it('commits only the given partitions, or the given offsets; with nothing to commit sends nothing', () => {
    const { clock, sent, commits, committer } = scripted(answer(0), answer(0, 0));
    const from = consumedTo5And9();
    const some = collect(committer.commit$('revoke', null, [{ topic: 't', partition: 1 }], from));
    const given = collect(committer.commit$('manual', [o(0, 3n), o(1, 4n)], null, from));
    const none = collect(committer.commit$('auto', null, null, source(stable)));
    clock.flush();
    expect(some).toEqual([{ offsets: [o(1, 9n)], trigger: 'revoke' }]);
    expect(given).toEqual([{ offsets: [o(0, 3n), o(1, 4n)], trigger: 'manual' }]);
    expect(none).toEqual([{ offsets: [], trigger: 'auto' }]);
    expect(sent).toHaveLength(2);
    expect(commits).toHaveLength(2);
  });

  it('sends one commit at a time, in the order asked', () => {
    const { clock, sent, committer } = scripted({ delayMs: 50, reply: answer(0) }, answer(0));
    const first = collect(committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    const second = collect(committer.commit$('manual', [o(0, 2n)], null, source(stable)));
    clock.flush();
    expect(sent.map((s) => s.at)).toEqual([0, 50]);
    expect([first[0].offsets, second[0].offsets]).toEqual([[o(0, 1n)], [o(0, 2n)]]);
  });

  it('a partition error is the result (not retried), and nothing is recorded as committed', () => {
    const { clock, sent, dead, commits, committer } = scripted(answer(0, ErrorCode.ILLEGAL_GENERATION));
    const from = consumedTo5And9();
    const results = collect(committer.commit$('auto', null, null, from));
    clock.flush();
    expect(sent).toHaveLength(1);
    expect(dead).toEqual([]);
    expect(results).toEqual([
      { offsets: [o(0, 5n), o(1, 9n)], error: protocolError(ErrorCode.ILLEGAL_GENERATION), trigger: 'auto' },
    ]);
    expect(results[0].error!.name).toBe(protocolError(ErrorCode.ILLEGAL_GENERATION)!.name);
    expect(commits).toEqual(results);
    expect(from.registry!.get({ topic: 't', partition: 0 })!.committed).toBeNull();
  });

  it('a moved coordinator is found again and the commit retried with backoff, twice at most', () => {
    const code = ErrorCode.NOT_COORDINATOR;
    const { clock, sent, dead, committer } = scripted(answer(code), answer(code), answer(code));
    const results = collect(committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    clock.flush();
    expect(sent.map((s) => s.at)).toEqual([0, 100, 300]);
    expect(dead).toEqual(['g@0', 'g@100', 'g@300']);
    expect(results[0].error!.code).toBe(code);
  });

  it('a coordinator answer after a retry ends it', () => {
    const { clock, sent, committer } = scripted(answer(ErrorCode.COORDINATOR_NOT_AVAILABLE), answer(0));
    const results = collect(committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    clock.flush();
    expect(sent.map((s) => s.at)).toEqual([0, 100]);
    expect(results).toEqual([{ offsets: [o(0, 1n)], trigger: 'auto' }]);
  });

  it('a lost connection is retried and the coordinator looked up again; other errors are the result at once', () => {
    const lost = scripted(new ConnectionError('reset'), answer(0));
    const lostResult = collect(lost.committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    lost.clock.flush();
    expect(lost.sent.map((s) => s.at)).toEqual([0, 100]);
    expect(lost.dead).toEqual(['g@0']);
    expect(lostResult[0].error).toBeUndefined();

    // Retriable but not a connection: retried without forgetting the coordinator.
    const flaky = new KafkaRxError('FlakyError', 'flaky', { retriable: true });
    const retried = scripted(flaky, answer(0));
    collect(retried.committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    retried.clock.flush();
    expect(retried.sent.map((s) => s.at)).toEqual([0, 100]);
    expect(retried.dead).toEqual([]);

    for (const error of [
      new KafkaRxError('OddError', 'odd', { retriable: false }),
      new KafkaRxError('CodedError', 'coded', { retriable: true, code: ErrorCode.REQUEST_TIMED_OUT }),
    ]) {
      const once = scripted(error);
      const result = collect(once.committer.commit$('auto', [o(0, 1n)], null, source(stable)));
      once.clock.flush();
      expect(once.sent).toHaveLength(1);
      expect(once.dead).toEqual([]);
      expect(result[0].error).toBe(error);
    }
  });

  it('a stale member epoch is sent again after the backoff with the epoch of then, the coordinator kept', () => {
    const { clock, sent, dead, committer } = scripted(answer(ErrorCode.STALE_MEMBER_EPOCH), answer(0));
    let membership: MembershipState = stable;
    const from: CommitSource = { registry: null, membership: () => membership };
    const results = collect(committer.commit$('auto', [o(0, 1n)], null, from));
    // The heartbeat's answer moves the epoch on while the commit is under way.
    membership = { ...stable, generationId: 8 };
    clock.flush();
    expect(sent.map((s) => [s.at, s.body.generationIdOrMemberEpoch])).toEqual([
      [0, 7],
      [100, 8],
    ]);
    expect(dead).toEqual([]);
    expect(results).toEqual([{ offsets: [o(0, 1n)], trigger: 'auto' }]);
  });

  it('a retry after a coordinator move keeps the generation the commit was asked in', () => {
    const { clock, sent, committer } = scripted(answer(ErrorCode.NOT_COORDINATOR), answer(0));
    let membership: MembershipState = stable;
    const from: CommitSource = { registry: null, membership: () => membership };
    collect(committer.commit$('auto', [o(0, 1n)], null, from));
    membership = { ...stable, generationId: 8 };
    clock.flush();
    expect(sent.map((s) => s.body.generationIdOrMemberEpoch)).toEqual([7, 7]);
  });

  it('a source without partitions and no offsets given commits nothing', () => {
    const { clock, sent, committer } = scripted();
    const results = collect(
      committer.commit$('close', null, null, { registry: null, membership: () => stable }),
    );
    clock.flush();
    expect(sent).toEqual([]);
    expect(results).toEqual([{ offsets: [], trigger: 'close' }]);
  });

  it('generation 0 is a generation', () => {
    const { clock, sent, committer } = scripted(answer(0));
    committer.commit$('auto', [o(0, 1n)], null, source({ ...stable, generationId: 0 })).subscribe();
    clock.flush();
    expect(sent[0].body).toMatchObject({ generationIdOrMemberEpoch: 0, memberId: 'm1' });
  });

  it('an answer without topics is a success', () => {
    const { clock, committer } = scripted({});
    const results = collect(committer.commit$('manual', [o(0, 1n)], null, source(stable)));
    clock.flush();
    expect(results).toEqual([{ offsets: [o(0, 1n)], trigger: 'manual' }]);
  });

  it('a failure before sending (reading the membership) is the result, with no offsets', () => {
    const { clock, sent, committer } = scripted();
    const broken: CommitSource = {
      registry: null,
      membership: () => {
        throw new Error('no membership');
      },
    };
    const results = collect(committer.commit$('close', [o(0, 1n)], null, broken));
    clock.flush();
    expect(sent).toHaveLength(0);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ offsets: [], trigger: 'close' });
    expect(results[0].error!.message).toBe('no membership');
  });

  it('stop answers queued and running commits with ConsumerClosedError, and every commit after it', () => {
    const { clock, committer } = scripted({ delayMs: 50, reply: answer(0) }, answer(0));
    const running = collect(committer.commit$('auto', [o(0, 1n)], null, source(stable)));
    const queued = collect(committer.commit$('manual', [o(0, 2n)], null, source(stable)));
    committer.stop();
    const after = collect(committer.commit$('close', [o(0, 3n)], null, source(stable)));
    clock.flush();
    for (const [results, trigger] of [
      [running, 'auto'],
      [queued, 'manual'],
      [after, 'close'],
    ] as const) {
      expect(results).toHaveLength(1);
      expect(results[0]).toMatchObject({ offsets: [], trigger });
      expect(results[0].error).toBeInstanceOf(ConsumerClosedError);
      expect(results[0].error!.message).toBe('the consumer closed before this commit completed');
    }
  });
});
