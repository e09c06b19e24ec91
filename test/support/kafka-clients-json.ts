import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaLibs, KAFKA_VERSION } from '../broker/kafka/kafka-jars';

/**
 * Kafka's message definitions as the broker version the tests run speaks them, read from
 * `kafka-clients-<version>.jar` (`common/message/*.json`). For APIs whose definitions in
 * shared/kafka-protocol predate their stable versions (the share group APIs: v0 there, v1+ in 4.1+).
 */
export function kafkaClientsMessageDir(names: readonly string[]): string {
  const jar = join(kafkaLibs, `kafka-clients-${KAFKA_VERSION}.jar`);
  const dir = mkdtempSync(join(tmpdir(), 'kafka-clients-json-'));
  for (const name of names) {
    const json = execFileSync('unzip', ['-p', jar, `common/message/${name}.json`], { encoding: 'utf8' });
    if (json.length === 0) throw new Error(`${jar} has no common/message/${name}.json`);
    writeFileSync(join(dir, `${name}.json`), json);
  }
  return dir;
}
