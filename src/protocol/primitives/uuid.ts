import { EncodeError } from '../errors';
import { describe, KafkaLayout, underflow, type Cursor } from './layout';

/** Kafka's all-zero UUID, its "no id" value (e.g. a topic id a broker does not know). */
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

const UUID_FORMAT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Kafka `uuid`: 16 bytes on the wire, a lowercase 8-4-4-4-12 hex string in JavaScript. */
export class UuidLayout extends KafkaLayout<string> {
  constructor(property?: string) {
    super(16, property);
  }

  read(c: Cursor): string {
    if (c.offset + 16 > c.end) throw underflow(c, 16, 'uuid');
    const h = c.buf.toString('hex', c.offset, c.offset + 16);
    c.offset += 16;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  sizeOf(v: string): number {
    if (typeof v !== 'string' || !UUID_FORMAT.test(v)) {
      throw new EncodeError(`expected a UUID (8-4-4-4-12 hex digits), got ${describe(v)}`);
    }
    return 16;
  }

  write(v: string, b: Buffer, o: number): number {
    b.write(v.slice(0, 8) + v.slice(9, 13) + v.slice(14, 18) + v.slice(19, 23) + v.slice(24), o, 16, 'hex');
    return o + 16;
  }
}

export const uuid = new UuidLayout();
