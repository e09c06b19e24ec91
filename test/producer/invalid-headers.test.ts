import { TestScheduler } from 'rxjs/testing';
import { createProducerOn, type ProducerRecord } from '../../src/producer';
import { ScriptedProducerCluster } from '../support/scripted-producer-cluster';

function send(record: unknown) {
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  const cluster = new ScriptedProducerCluster({ clock: scheduler, topics: { t: 2 }, rttMs: 1 });
  const producer = createProducerOn({ brokers: [], lingerMs: 0 }, { cluster, ownsCluster: false });
  const outcome: { error?: Error; sent?: unknown } = {};
  producer.send(record as ProducerRecord).subscribe({
    next: (m) => (outcome.sent = m),
    error: (e: Error) => (outcome.error = e),
  });
  scheduler.flush();
  return { outcome, cluster };
}

describe('header values a send refuses', () => {
  it.each([
    [
      'a number in a pair',
      [['trace', 5]],
      'header "trace" of a record for "t" must be a Buffer, a string or null, not 5',
    ],
    [
      'a number in an object',
      { trace: 5 },
      'header "trace" of a record for "t" must be a Buffer, a string or null, not 5',
    ],
    [
      'a pair without a name',
      [[7, 'x']],
      'headers of a record for "t": each must be a [name, value] pair with a string name, not [7,"x"]',
    ],
    [
      'a string',
      'trace=1',
      'headers of a record for "t" must be an object or a list of [name, value] pairs, not trace=1',
    ],
    [
      'null',
      null,
      'headers of a record for "t" must be an object or a list of [name, value] pairs, not null',
    ],
  ])('%s: InvalidRecordError at the call, nothing written', (_, headers, message) => {
    const { outcome, cluster } = send({ topic: 't', value: 'v', headers });
    expect(outcome.error).toMatchObject({ name: 'InvalidRecordError', message });
    expect(cluster.log('t', 0).length + cluster.log('t', 1).length).toBe(0);
  });

  it('takes Buffers, strings and null in both forms', () => {
    const pairs = send({
      topic: 't',
      value: 'v',
      headers: [
        ['a', 'x'],
        ['b', Buffer.from('y')],
        ['c', null],
      ],
    });
    const object = send({ topic: 't', value: 'v', headers: { a: 'x', b: Buffer.from('y') } });
    expect([pairs.outcome.error, object.outcome.error]).toEqual([undefined, undefined]);
    expect([pairs.outcome.sent, object.outcome.sent]).toEqual([
      [expect.objectContaining({ topic: 't', offset: 0n })],
      [expect.objectContaining({ topic: 't', offset: 0n })],
    ]);
  });
});
