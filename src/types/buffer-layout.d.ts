// buffer-layout ships no type declarations; this covers the part kafka-rx uses.
declare module 'buffer-layout' {
  export class Layout<T = any> {
    constructor(span: number, property?: string);
    span: number;
    property?: string;
    decode(b: Buffer, offset?: number): T;
    encode(src: T, b: Buffer, offset?: number): number;
    getSpan(b?: Buffer, offset?: number): number;
    replicate(property: string): this;
  }
  export class Structure<T = any> extends Layout<T> {
    constructor(fields: Layout[], property?: string, decodePrefixes?: boolean);
    fields: Layout[];
  }
  export function s8(property?: string): Layout<number>;
  export function u8(property?: string): Layout<number>;
  export function s16be(property?: string): Layout<number>;
  export function u16be(property?: string): Layout<number>;
  export function s32be(property?: string): Layout<number>;
  export function u32be(property?: string): Layout<number>;
  export function f64be(property?: string): Layout<number>;
  export function blob(length: number, property?: string): Layout<Buffer>;
  export function struct<T = any>(
    fields: Layout[],
    property?: string,
    decodePrefixes?: boolean,
  ): Structure<T>;
}
