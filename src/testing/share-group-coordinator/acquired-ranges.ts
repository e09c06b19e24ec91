/** One AcquiredRecords entry of a ShareFetch response. */
export interface AcquiredRange {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly deliveryCount: number;
}

/** Acquired offsets (ascending) as ranges: consecutive offsets with the same delivery count share one. */
export function acquiredRanges(
  acquired: ReadonlyArray<{ readonly offset: bigint; readonly deliveryCount: number }>,
): AcquiredRange[] {
  const ranges: AcquiredRange[] = [];
  for (const { offset, deliveryCount } of acquired) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.lastOffset + 1n === offset && last.deliveryCount === deliveryCount)
      ranges[ranges.length - 1] = { ...last, lastOffset: offset };
    else ranges.push({ firstOffset: offset, lastOffset: offset, deliveryCount });
  }
  return ranges;
}
