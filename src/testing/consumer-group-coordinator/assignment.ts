/** Partitions by topic name: a member's assignment, owned partitions or partitions pending revocation. */
export type Assignment = ReadonlyMap<string, ReadonlySet<number>>;

export const EMPTY_ASSIGNMENT: Assignment = new Map();

/** An assignment from `[topic, partitions]` pairs, leaving out topics without partitions. */
export function assignmentOf(entries: Iterable<readonly [string, Iterable<number>]>): Assignment {
  const result = new Map<string, Set<number>>();
  for (const [topic, partitions] of entries) {
    const set = result.get(topic) ?? new Set<number>();
    for (const p of partitions) set.add(p);
    if (set.size > 0) result.set(topic, set);
  }
  return result;
}

/** The partitions of `a` that are not in `b`. */
export function minus(a: Assignment, b: Assignment): Assignment {
  return assignmentOf([...a].map(([t, ps]) => [t, [...ps].filter((p) => !has(b, t, p))] as const));
}

/** The partitions in both. */
export function intersect(a: Assignment, b: Assignment): Assignment {
  return assignmentOf([...a].map(([t, ps]) => [t, [...ps].filter((p) => has(b, t, p))] as const));
}

export function union(a: Assignment, b: Assignment): Assignment {
  return assignmentOf([...a, ...b]);
}

export function has(a: Assignment, topic: string, partition: number): boolean {
  return a.get(topic)?.has(partition) ?? false;
}

export function isEmpty(a: Assignment): boolean {
  return a.size === 0;
}

export function sameAssignment(a: Assignment, b: Assignment): boolean {
  return isEmpty(minus(a, b)) && isEmpty(minus(b, a));
}

/** Every partition as `[topic, partition]`, sorted by topic then partition. */
export function partitionsOf(a: Assignment): Array<[string, number]> {
  return [...a]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .flatMap(([t, ps]) => [...ps].sort((x, y) => x - y).map((p): [string, number] => [t, p]));
}

export function sizeOf(a: Assignment): number {
  let n = 0;
  for (const ps of a.values()) n += ps.size;
  return n;
}
