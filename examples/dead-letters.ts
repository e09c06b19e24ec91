/**
 * Typed records and dead letters: orders come as JSON (checked by a guard), each is shipped with
 * up to three attempts, and what cannot be shipped, or not even read, goes to a dead-letter topic
 * with headers saying why. Commits cover every record: the shipped ones, and the dead letters
 * once the dead-letter topic has them.
 *
 *   import { createConsumer, createProducer, deadLetter, deserializers, processWithRetries } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/dead-letters.ts [host:port]
 */
import { lastValueFrom, take, toArray } from 'rxjs';
import {
  createConsumer,
  createProducer,
  deadLetter,
  deserializers,
  ProcessingFailure,
  processWithRetries,
  type ConsumerRecord,
  type UndeserializedRecord,
} from '../src';
import { runExample } from './run-example';

/** An order as the `orders` topic carries it (JSON in the record value). */
export interface Order {
  readonly id: string;
  readonly total: number;
}

const isOrder = (value: unknown): value is Order =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Order).id === 'string' &&
  typeof (value as Order).total === 'number';

export interface DeadLettersOptions {
  readonly brokers: string[];
  readonly topic?: string;
  readonly deadLetterTopic?: string;
  readonly groupId?: string;
  /** Records to deal with (shipped or dead-lettered) before stopping. */
  readonly count: number;
  /** The work; a rejection means "failed, try again". */
  readonly ship: (order: Order) => Promise<void>;
}

/** What became of each record, in the order they were dealt with. */
export type Outcome =
  | { readonly outcome: 'shipped'; readonly id: string }
  | { readonly outcome: 'dead-lettered'; readonly offset: string; readonly why: string };

type OrderRecord = ConsumerRecord<string, Order> | UndeserializedRecord;

function outcomeOf(item: OrderRecord | ProcessingFailure<OrderRecord>): Outcome {
  if (item instanceof ProcessingFailure)
    return {
      outcome: 'dead-lettered',
      offset: `${item.record.offset}`,
      why: `failed ${item.attempts} times`,
    };
  if (item.error !== undefined)
    return { outcome: 'dead-lettered', offset: `${item.offset}`, why: `unreadable ${item.error.part}` };
  return { outcome: 'shipped', id: item.value?.id ?? '(tombstone)' };
}

/** Consumes `count` records, shipping orders and dead-lettering the rest; returns the outcomes. */
export async function main({
  brokers,
  topic = 'orders',
  deadLetterTopic = 'orders.dead-letter',
  groupId = 'shipping',
  count,
  ship,
}: DeadLettersOptions): Promise<Outcome[]> {
  // #region dead-letters
  const consumer = createConsumer({
    brokers,
    groupId,
    topics: [topic],
    fromBeginning: true,
    // Records come as ConsumerRecord<string, Order>, or with `error` when a part cannot be read.
    deserializers: { key: deserializers.string, value: deserializers.json(isOrder) },
  });
  // No serializers: dead letters are written with the bytes as fetched.
  const producer = createProducer({ brokers });

  const outcomes$ = consumer.messages$.pipe(
    // The handler sees readable records only; up to 3 attempts, 50 ms then 100 ms apart.
    processWithRetries((order) => (order.value === null ? undefined : ship(order.value)), {
      attempts: 3,
      backoffMs: 50,
    }),
    // Unreadable records and failed ones: to the dead-letter topic, then acknowledged.
    deadLetter(producer, deadLetterTopic),
  );
  // #endregion
  try {
    return (await lastValueFrom(outcomes$.pipe(take(count), toArray()))).map(outcomeOf);
  } finally {
    await consumer.close();
    await producer.close();
  }
}

if (require.main === module) {
  const orders = ['{"id":"o-1","total":250}', '{"id":"o-2",', '{"id":"o-3","total":-5}', '{"id":"o-4"}'];
  void runExample(
    'orders',
    (brokers) =>
      main({
        brokers,
        count: orders.length,
        // A negative total cannot be shipped, however often it is tried.
        ship: async (order) => {
          if (order.total < 0) throw new Error(`order ${order.id}: negative total`);
        },
      }),
    (cluster) => {
      cluster.createTopic('orders.dead-letter', 1);
      cluster.append(
        'orders',
        0,
        orders.map((value, i) => ({ key: `o-${i + 1}`, value })),
      );
    },
  );
}
