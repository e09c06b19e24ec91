import { EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';

/** Kafka `boolean`: one byte, 0 is false and anything else is true (as Kafka reads it). */
export class BooleanLayout extends KafkaLayout<boolean> {
  constructor(property?: string) {
    super(1, property);
  }
  read(c: Cursor): boolean {
    if (c.offset >= c.end) throw underflow(c, 1, 'boolean');
    return c.buf[c.offset++] !== 0;
  }
  sizeOf(v: boolean): number {
    if (typeof v !== 'boolean') throw new EncodeError(`expected a boolean, got ${describe(v)}`);
    return 1;
  }
  write(v: boolean, b: Buffer, o: number): number {
    b[o] = v ? 1 : 0;
    return o + 1;
  }
}

export const boolean = new BooleanLayout();
