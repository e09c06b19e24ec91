import { firstValueFrom, fromEvent, takeUntil } from 'rxjs';
import { createCluster } from '../cluster';
import { KafkaRxError } from '../errors';
import { createTcpTransport } from '../transport';
import type { Connection } from './client-settings';

/**
 * Asks the brokers for the topic's metadata before a command starts its consumer or producer:
 * a consumer retries an unreachable cluster forever (as Kafka's clients do), which at a terminal
 * looks like a hang. This fails within a few seconds instead, with the cluster's error naming
 * every address tried, or says the topic does not exist. Resolves with its partition count, or
 * with null when `stop` fires first (Ctrl-C while the brokers do not answer).
 */
export async function checkTopic(
  connection: Connection,
  topic: string,
  stop?: AbortSignal,
): Promise<number | null> {
  const { brokers, tls, sasl } = connection;
  const cluster = createCluster({
    brokers,
    transport: createTcpTransport({ clientId: 'kafka-rx-cli', tls, sasl }),
  });
  try {
    const metadata$ = cluster.metadata([topic]);
    const metadata = await firstValueFrom(
      stop ? metadata$.pipe(takeUntil(fromEvent(stop, 'abort'))) : metadata$,
      { defaultValue: null },
    );
    if (metadata === null) return null;
    const found = metadata.topics.get(topic);
    if (found === undefined || found.errorCode === 3) {
      throw new KafkaRxError('UnknownTopicError', `topic "${topic}" does not exist on ${brokers.join(',')}`, {
        code: 3,
      });
    }
    if (found.errorCode !== 0) {
      throw new KafkaRxError(
        'TopicMetadataError',
        `topic "${topic}": the broker answered error code ${found.errorCode}`,
        {
          code: found.errorCode,
        },
      );
    }
    return found.partitions.length;
  } finally {
    await cluster.close();
  }
}
