import { addresses } from './topics';

/**
 * The broker a jest run shares (test/global-setup.ts starts one when a test file of the run
 * mentions `sharedKafka`; `KAFKA_BOOTSTRAP=host:port` uses an outside one instead). Tests on it
 * make their own topics and groups with uniqueName().
 */
export const SHARED_KAFKA_ENV = 'KAFKA_RX_TEST_BROKERS';

export interface SharedKafka {
  /** `host:port,...` */
  bootstrap: string;
  brokers: { host: string; port: number }[];
}

export function sharedKafka(): SharedKafka {
  const bootstrap = process.env[SHARED_KAFKA_ENV];
  if (!bootstrap) {
    throw new Error(
      `${SHARED_KAFKA_ENV} is not set: the shared Kafka broker starts in test/global-setup.ts ` +
        `for test files that mention sharedKafka (or set KAFKA_BOOTSTRAP=host:port)`,
    );
  }
  return { bootstrap, brokers: addresses(bootstrap) };
}
