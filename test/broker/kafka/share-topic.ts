import { earliestShareGroup } from './earliest-share-group';
import { createTopics, uniqueName } from './topics';

/** A fresh topic and a share group that reads it from its first record. */
export interface ShareTopic {
  readonly topic: string;
  readonly group: string;
}

/**
 * Creates topic `<prefix>-…` with `partitions` partitions on `bootstrap` and names share group
 * `<prefix>-g-…`, set to start from the earliest offset (with `lockMs`, its acquisition lock).
 */
export async function shareTopic(
  bootstrap: string,
  prefix: string,
  partitions = 1,
  lockMs?: number,
): Promise<ShareTopic> {
  const topic = uniqueName(prefix);
  const group = uniqueName(`${prefix}-g`);
  await createTopics(bootstrap, [{ name: topic, partitions }]);
  await earliestShareGroup(bootstrap, group, lockMs);
  return { topic, group };
}
