import { createTopics, uniqueName } from './topics';

/** A fresh topic and its dead-letter topic, with the broker list to reach them. */
export interface TopicWithDeadLetters {
  readonly brokers: string[];
  readonly topic: string;
  readonly deadLetterTopic: string;
}

/** Creates `<prefix>-…` with `partitions` partitions and `<prefix>-dlt-…` with one, on `bootstrap`. */
export async function topicWithDeadLetters(
  bootstrap: string,
  prefix: string,
  partitions: number,
): Promise<TopicWithDeadLetters> {
  const topic = uniqueName(prefix);
  const deadLetterTopic = uniqueName(`${prefix}-dlt`);
  await createTopics(bootstrap, [
    { name: topic, partitions },
    { name: deadLetterTopic, partitions: 1 },
  ]);
  return { brokers: [bootstrap], topic, deadLetterTopic };
}
