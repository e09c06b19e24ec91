import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const pom = join(__dirname, 'pom.xml');

/** The Kafka version pinned in pom.xml, e.g. `4.4.0`. */
export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pom, 'utf8'))![1];

const cacheDir = join(__dirname, '..', '..', '..', '.cache', 'kafka', KAFKA_VERSION);

/** The folder of Kafka's jars and their dependencies (filled by fetch-jars.sh). */
export const kafkaLibs = join(cacheDir, 'libs');

/** `java -cp` value for every jar of the cache. */
export const kafkaClasspath = join(kafkaLibs, '*');

/** Throws, naming the fix, unless fetch-jars.sh completed a copy for this pom. */
export function assertKafkaJars(): void {
  const stamp = join(cacheDir, 'complete');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== readFileSync(pom, 'utf8')) {
    throw new Error(
      `Kafka ${KAFKA_VERSION} jars are missing in ${kafkaLibs}: run scripts/setup.sh (or test/broker/kafka/fetch-jars.sh)`,
    );
  }
}
