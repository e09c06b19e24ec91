/**
 * The items of an array read from the front by an index (`head`), without those read, once
 * dropping them is worth a copy: all are read, or half of them and at least 1024. Otherwise the
 * array itself, so callers reset their `head` to 0 only when given a new array. (An index rather
 * than `shift()`: shifting a long array costs its length.)
 */
export function withoutConsumed<T>(items: T[], head: number): T[] {
  if (head === items.length) return head === 0 ? items : [];
  return head >= 1024 && head * 2 >= items.length ? items.slice(head) : items;
}
