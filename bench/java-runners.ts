/**
 * The Java client's runners (bench/java/*.java): compiled with `javac` against the jars of the
 * Kafka test broker's cache, run with the JVM's defaults (no heap or collector flags: the Java
 * client as users run it), Kafka's log lines (warnings and errors) on stderr.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { toolsLog4j } from '../test/broker/kafka/java';
import { assertKafkaJars, kafkaClasspath } from '../test/broker/kafka/kafka-jars';

const ROOT = join(__dirname, '..');
const SOURCES = join(ROOT, 'bench', 'java');
const OUT = join(ROOT, '.cache', 'bench-java');

/** Compiles the runners to .cache/bench-java/ and returns the `java` command line of one of them. */
export function javaRunner(
  mainClass: 'ConsumeRunner' | 'ProduceRunner' | 'LatencyRunner',
): (args: string[]) => string[] {
  assertKafkaJars();
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const sources = readdirSync(SOURCES)
    .filter((f) => f.endsWith('.java'))
    .map((f) => join(SOURCES, f));
  execFileSync('javac', ['-nowarn', '-cp', kafkaClasspath, '-d', OUT, ...sources], { stdio: 'inherit' });
  return (args) => [
    `-Dlog4j2.configurationFile=${toolsLog4j}`,
    '-cp',
    `${OUT}:${kafkaClasspath}`,
    mainClass,
    ...args,
  ];
}
