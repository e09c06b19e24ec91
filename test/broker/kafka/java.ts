import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaClasspath } from './kafka-jars';

/** The log4j2 configuration of Kafka's tools and the Java programs of the tests: warnings and errors on stderr. */
export const toolsLog4j = join(__dirname, 'tools-log4j2.properties');

export interface JavaOptions {
  heapMb: number;
  /** A log4j2 configuration file. */
  log4jConfig: string;
  /** Extra -D system properties. */
  properties?: Record<string, string>;
}

/**
 * `java` arguments that run `mainClass` from the Kafka cache. The serial collector and C1 only:
 * the brokers and tools of a test run are short-lived and share two cores with everything else.
 */
export function javaArgs(mainClass: string, args: string[], options: JavaOptions): string[] {
  const props = Object.entries(options.properties ?? {}).map(([k, v]) => `-D${k}=${v}`);
  return [
    `-Xmx${options.heapMb}m`,
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${options.log4jConfig}`,
    ...props,
    '-cp',
    kafkaClasspath,
    mainClass,
    ...args,
  ];
}

/** Throws a clear error when `java` cannot run at all. */
export function assertJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore', timeout: 10000 });
  } catch (e) {
    throw new Error(
      `cannot run java (Java 17 is needed; scripts/setup.sh installs it): ${(e as Error).message}`,
    );
  }
}

/** Writes a log4j2 configuration: everything at `level` and above into `file`, nothing on stdout. */
export function writeFileLog4j(configPath: string, file: string, level = 'INFO'): string {
  writeFileSync(
    configPath,
    [
      'status = warn',
      'appender.file.type = File',
      'appender.file.name = file',
      `appender.file.fileName = ${file}`,
      'appender.file.layout.type = PatternLayout',
      'appender.file.layout.pattern = [%d] %p %m (%c)%n',
      `rootLogger.level = ${level}`,
      'rootLogger.appenderRef.file.ref = file',
      '',
    ].join('\n'),
  );
  return configPath;
}
