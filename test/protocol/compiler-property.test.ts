import fc from 'fast-check';
import { compileMessage } from '../../src/protocol/compiler';
import { DecodeError } from '../../src/protocol/errors';
import { specVersionBody } from './compiler.arbitraries';

// Random specs in Kafka's shape (tagged, nullable, nested, version-gated fields), random bodies.
test('decode(encode(body)) equals body, and re-encoding gives the same bytes', () => {
  fc.assert(
    fc.property(specVersionBody, ({ spec, version, body }) => {
      const codec = compileMessage(spec, version);
      const wire = codec.encode(body);
      const decoded = codec.decode(wire);
      expect(decoded).toEqual(body);
      expect(codec.encode(decoded)).toEqual(wire);
    }),
    { seed: 4242, numRuns: 400 },
  );
});

test('every strict prefix of an encoded message is a DecodeError', () => {
  fc.assert(
    fc.property(specVersionBody, fc.nat(), ({ spec, version, body }, cut) => {
      const codec = compileMessage(spec, version);
      const wire = codec.encode(body);
      fc.pre(wire.length > 0);
      expect(() => codec.decode(wire.subarray(0, cut % wire.length))).toThrow(DecodeError);
    }),
    { seed: 4343, numRuns: 400 },
  );
});
