import type { Consumer } from '../../../../src/consumer';
import { JavaProgram } from './java-program';

/** What a judge test sees of a group member, kafka-rx's or Java's. */
export interface Member {
  readonly name: string;
  memberId(): string;
  owned(): number[];
  /** `partition:offset` of every record handed to the application, in order. */
  read(): string[];
  close(): Promise<void>;
}

/** Tracks a kafka-rx consumer as a `Member`: its member id, owned partitions and records read. */
export function observeMember(consumer: Consumer, name: string): Member {
  const owned = new Set<number>();
  const read: string[] = [];
  let memberId = '';
  consumer.events$.subscribe((e) => {
    if (e.type === 'join') memberId = e.memberId;
  });
  consumer.rebalances$.subscribe(({ type, partitions }) => {
    for (const { partition } of partitions) {
      if (type === 'assigned') owned.add(partition);
      else owned.delete(partition);
    }
  });
  consumer.messages$.subscribe((r) => read.push(`${r.partition}:${r.offset}`));
  return {
    name,
    memberId: () => memberId,
    owned: () => [...owned].sort((a, b) => a - b),
    read: () => read,
    close: () => consumer.close(),
  };
}

/** What judges/java/Judge.java prints as a group member. */
type GroupMemberLine =
  | { event: 'assigned'; memberId: string; partitions: number[] }
  | { event: 'revoked' | 'lost'; partitions: number[] }
  | { event: 'record'; partition: number; offset: number }
  | { event: 'committed'; offsets: { partition: number; offset: number }[] }
  | { event: 'closed' };

export interface JavaMember extends Member {
  kill(): Promise<void>;
  /** The last offset it said it committed, per partition. */
  committed(): Map<number, number>;
}

/**
 * Kafka's KafkaConsumer in a group (judges/java/Judge.java, `group`): classic with the range or
 * cooperative-sticky assignor, or `consumer` for group.protocol=consumer (KIP-848).
 */
export function javaGroupMember(
  bootstrap: string,
  group: string,
  topic: string,
  assignor: 'range' | 'cooperative-sticky' | 'consumer',
  name: string,
): JavaMember {
  const program = new JavaProgram<GroupMemberLine>('group', [bootstrap, group, topic, assignor, name]);
  return {
    name,
    memberId: () =>
      program.lines
        .filter((l) => l.event === 'assigned')
        .map((l) => l.memberId)
        .pop() ?? '',
    owned: () => {
      const set = new Set<number>();
      for (const l of program.lines) {
        if (l.event === 'assigned') l.partitions.forEach((p) => set.add(p));
        if (l.event === 'revoked' || l.event === 'lost') l.partitions.forEach((p) => set.delete(p));
      }
      return [...set].sort((a, b) => a - b);
    },
    read: () => program.lines.flatMap((l) => (l.event === 'record' ? [`${l.partition}:${l.offset}`] : [])),
    committed: () => {
      const at = new Map<number, number>();
      for (const l of program.lines)
        if (l.event === 'committed') for (const o of l.offsets) at.set(o.partition, o.offset);
      return at;
    },
    kill: () => program.kill(),
    close: async () => {
      program.send('close');
      try {
        await program.waitFor((lines) => lines.some((l) => l.event === 'closed'), 20000, `${name} closed`);
      } finally {
        await program.stop();
      }
    },
  };
}
