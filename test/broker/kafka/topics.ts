import { rawCreateTopics, rawMetadata, type HostPort, type NewTopic } from './raw-admin';

export type { NewTopic } from './raw-admin';

/** `host:port,...` to addresses. */
export function addresses(bootstrap: string): HostPort[] {
  return bootstrap.split(',').map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    return { host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) };
  });
}

/**
 * Creates topics (CreateTopics through the first broker) and waits until every broker of
 * `bootstrap` knows a leader for each partition, so that a client started next finds them.
 * Rejects on any error, TOPIC_ALREADY_EXISTS included: tests sharing a broker use fresh names.
 */
export async function createTopics(bootstrap: string, topics: NewTopic[], timeoutMs = 15000): Promise<void> {
  const brokers = addresses(bootstrap);
  const results = await rawCreateTopics(brokers[0], topics, timeoutMs);
  const failed = results.filter((r) => r.errorCode !== 0);
  if (failed.length > 0) {
    const why = failed.map((r) => `${r.name}: error ${r.errorCode} ${r.errorMessage ?? ''}`.trim());
    throw new Error(`CreateTopics failed: ${why.join('; ')}`);
  }
  const names = topics.map((t) => t.name);
  const deadline = performance.now() + timeoutMs;
  for (const broker of brokers) {
    while (!(await allLed(broker, names))) {
      if (performance.now() > deadline)
        throw new Error(`no leaders for ${names.join(', ')} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function allLed(broker: HostPort, names: string[]): Promise<boolean> {
  const { topics } = await rawMetadata(broker, names);
  return (
    topics.length === names.length &&
    topics.every((t) => t.errorCode === 0 && t.partitions.every((p) => p.errorCode === 0 && p.leader >= 0))
  );
}

let counter = 0;

/** A name no other test of this run uses on a shared broker: `<prefix>-<pid>-<n>-<random>`. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
