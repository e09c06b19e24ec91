import { rawLatestOffsets, rawMetadata } from './raw-admin';
import { addresses } from './topics';

/**
 * Each partition's latest offset (high watermark, or last stable offset with read_committed),
 * asked of its leader with a hand-written ListOffsets. On a topic without transactions the
 * high watermarks add up to the number of records in it: a read that stopped at a known count
 * proves with them that nothing more is there, without waiting out an idle timeout.
 */
export async function logEndOffsets(
  bootstrap: string,
  topic: string,
  isolationLevel: 'read_uncommitted' | 'read_committed' = 'read_uncommitted',
): Promise<number[]> {
  const metadata = await rawMetadata(addresses(bootstrap)[0], [topic]);
  const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
  if (partitions.length === 0) throw new Error(`no partitions for ${topic}`);
  const ends = await Promise.all(
    partitions.map(async ({ partition, leader }) => {
      const broker = metadata.brokers.find((b) => b.nodeId === leader);
      if (!broker) throw new Error(`${topic}-${partition}: leader ${leader} not among the brokers`);
      const [answer] = await rawLatestOffsets(broker, topic, [partition], isolationLevel);
      if (answer?.errorCode !== 0)
        throw new Error(`${topic}-${partition}: ListOffsets error ${answer?.errorCode}`);
      return [partition, Number(answer.offset)] as const;
    }),
  );
  return ends.sort((a, b) => a[0] - b[0]).map(([, end]) => end);
}
