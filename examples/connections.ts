/**
 * Connections: TLS and SASL are options of the TCP transport, which a consumer, producer or admin
 * client takes as `transport`.
 *
 *   import { createConsumer, createTcpTransport } from 'kafka-rx';
 *
 * Run: node --require ./bench/register.js examples/connections.ts host:port ca.pem password
 */
import { readFileSync } from 'node:fs';
import { lastValueFrom, take, toArray } from 'rxjs';
import { createConsumer, createTcpTransport, type ConsumerRecord, type TransportEvent } from '../src';

export interface ConnectionsOptions {
  readonly brokers: string[];
  /** A PEM file with the certificate authority that signed the brokers' certificates. */
  readonly caFile: string;
  readonly password: string;
  /** Where transport events are reported; `console.log` by default. */
  readonly log?: (type: TransportEvent['type'], event: TransportEvent) => void;
}

/** Reads one record of `billing` over TLS with SCRAM-SHA-512 as user `billing`. */
export async function main({
  brokers,
  caFile,
  password,
  log = (type, event) => console.log(type, event),
}: ConnectionsOptions): Promise<ConsumerRecord[]> {
  const [groupId, topics] = ['billing', ['billing']];
  // #region tcp-transport
  const transport = createTcpTransport({
    clientId: 'billing',
    tls: { ca: readFileSync(caFile), servername: 'kafka.internal' }, // or tls: true
    sasl: { mechanism: 'scram-sha-512', username: 'billing', password }, // or 'plain', 'scram-sha-256'
    requestTimeoutMs: 30000,
    connectTimeoutMs: 10000,
    reconnectBackoffMs: 100, // exponential up to reconnectBackoffMaxMs (1000), with jitter
    socketFactory: undefined, // (broker) => a Duplex of your own, e.g. through a proxy
  });
  transport.events$.subscribe((e) => log(e.type, e)); // connect, disconnect, request latency
  const consumer = createConsumer({ brokers, groupId, topics, transport });
  // #endregion
  try {
    return await lastValueFrom(consumer.messages$.pipe(take(1), toArray()));
  } finally {
    await consumer.close();
  }
}

if (require.main === module) {
  const [brokers, caFile, password] = process.argv.slice(2);
  void main({ brokers: brokers.split(','), caFile, password }).then(
    (records) => console.log(`${records.length} record read`),
    (error: Error) => console.error(`${error.name}: ${error.message}`),
  );
}
