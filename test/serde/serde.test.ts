import { deserializers, DeserializationError, serializers, SerializationError } from '../../src';

const context = { topic: 't', partition: 0, headers: [], part: 'value' } as const;

describe('the built-in deserializers', () => {
  it('string reads UTF-8, buffer gives the bytes as fetched', () => {
    const bytes = Buffer.from('héllo', 'utf8');
    expect(deserializers.string(bytes, context)).toBe('héllo');
    expect(deserializers.buffer(bytes, context)).toBe(bytes);
  });

  it('json parses UTF-8 JSON text and throws on anything else', () => {
    expect(deserializers.json<{ n: number }>()(Buffer.from('{"n":1}'), context)).toEqual({ n: 1 });
    expect(() => deserializers.json()(Buffer.from('{"n":'), context)).toThrow(SyntaxError);
  });

  it('json with a guard refuses a value of the wrong shape', () => {
    const isOrder = (v: unknown): v is { id: string } =>
      typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string';
    const order = deserializers.json(isOrder);
    expect(order(Buffer.from('{"id":"a"}'), context)).toEqual({ id: 'a' });
    expect(() => order(Buffer.from('{"id":1}'), context)).toThrow('not of the expected shape');
  });
});

describe('the built-in serializers', () => {
  const to = { topic: 't', part: 'value' } as const;
  it('string writes UTF-8, json writes JSON text, buffer passes the bytes', () => {
    expect(serializers.string('héllo', to)).toEqual(Buffer.from('héllo', 'utf8'));
    expect(serializers.json()({ n: 1 }, to)).toEqual(Buffer.from('{"n":1}'));
    const bytes = Buffer.from([1, 2]);
    expect(serializers.buffer(bytes, to)).toBe(bytes);
  });

  it('json throws for what JSON cannot represent', () => {
    expect(() => serializers.json()(undefined, to)).toThrow('JSON cannot represent undefined');
  });
});

describe('the errors', () => {
  it('DeserializationError names the part, keeps the bytes and the cause', () => {
    const cause = new SyntaxError('Unexpected end of JSON input');
    const error = new DeserializationError('header', Buffer.from('x'), cause, 'trace');
    expect(error).toMatchObject({ name: 'DeserializationError', part: 'header', header: 'trace', cause });
    expect(error.data).toEqual(Buffer.from('x'));
    expect(error.message).toBe(
      `the record's header "trace" could not be deserialized: Unexpected end of JSON input`,
    );
  });

  it('SerializationError names the part and the topic', () => {
    const error = new SerializationError('key', 'orders', new TypeError('bad'));
    expect(error.name).toBe('SerializationError');
    expect(error.message).toBe(`a record's key for "orders" could not be serialized: bad`);
  });
});
