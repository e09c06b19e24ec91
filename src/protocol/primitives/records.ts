import { BytesLayout } from './bytes';
import { writeUVarInt } from './varint';

/** A record batch left out of a frame by `gatherRecords`: it belongs at `at`, after its length prefix. */
export interface GatheredRecords {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/** Smaller batches are copied into the frame: one more piece to write costs more than the copy. */
export const GATHER_MIN_BYTES = 4096;

let gathered: GatheredRecords[] | null = null;

/**
 * Runs `write` (the encoding of one frame) with the `records` fields of at least
 * GATHER_MIN_BYTES left out of the buffer written: only their length prefix is written, and the
 * bytes they would take are skipped. Returns where each batch belongs, in frame order, so that
 * the frame can be sent as pieces without copying the batches.
 */
export function gatherRecords(write: () => void): GatheredRecords[] {
  const outer = gathered;
  const list: GatheredRecords[] = [];
  gathered = list;
  try {
    write();
  } finally {
    gathered = outer;
  }
  return list;
}

/**
 * Record batches in a request or response (`records` in Kafka's JSON): a nullable byte blob, as
 * `nullable bytes` or `compact nullable bytes`, that `gatherRecords` can leave out of the frame.
 */
export class RecordsLayout extends BytesLayout<Buffer | null> {
  constructor(compact: boolean, property?: string) {
    super(compact, true, property);
  }

  override write(v: Buffer | null, b: Buffer, o: number): number {
    if (v === null || gathered === null || v.length < GATHER_MIN_BYTES) return super.write(v, b, o);
    o = this.compact ? writeUVarInt(v.length + 1, b, o) : b.writeInt32BE(v.length, o);
    gathered.push({ at: o, bytes: v });
    return o + v.length;
  }
}

export const records = new RecordsLayout(false);
export const compactRecords = new RecordsLayout(true);
