import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaRxError } from '../../src/errors';
import { ErrorCode, errorCodes, KafkaProtocolError, protocolError } from '../../src/protocol/errors';

interface KafkaErrorEntry {
  code: number;
  name: string;
  message: string | null;
  retriable: boolean;
  invalidMetadata: boolean;
}

// Kafka's own table, beside the repository (not shipped with the package).
const reference: KafkaErrorEntry[] = JSON.parse(
  readFileSync(join(__dirname, '../../../shared/kafka-protocol/errors.json'), 'utf8'),
);

test("the table holds every entry of Kafka's errors.json, equal field by field", () => {
  expect(reference.length).toBeGreaterThan(100);
  expect(errorCodes).toHaveLength(reference.length);
  for (const e of reference) {
    const ours = errorCodes.find((x) => x.code === e.code);
    expect(ours).toEqual({
      code: e.code,
      name: e.name,
      message: e.message,
      retriable: e.retriable,
      invalidMetadata: e.invalidMetadata,
    });
    expect((ErrorCode as Record<string, number>)[e.name]).toBe(e.code);
  }
  expect(Object.keys(ErrorCode)).toHaveLength(reference.length);
});

test('ErrorCode names codes', () => {
  expect(ErrorCode.NOT_COORDINATOR).toBe(16);
  expect(ErrorCode.REBALANCE_IN_PROGRESS).toBe(27);
  expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
});

test('protocolError gives a value with Kafka name, message, retriable and invalidMetadata', () => {
  expect(protocolError(0)).toBeUndefined();
  const e = protocolError(27)!;
  expect(e).toBeInstanceOf(KafkaProtocolError);
  expect(e).toBeInstanceOf(KafkaRxError);
  expect(e).toBeInstanceOf(Error);
  expect(e.name).toBe('REBALANCE_IN_PROGRESS');
  expect(e.code).toBe(27);
  expect(e.message).toBe(reference.find((x) => x.code === 27)!.message);
  expect(e.retriable).toBe(false);
  const notLeader = protocolError(ErrorCode.NOT_LEADER_OR_FOLLOWER)!;
  expect(notLeader.retriable).toBe(true);
  expect(notLeader.invalidMetadata).toBe(true);
  expect(protocolError(-1)!.name).toBe('UNKNOWN_SERVER_ERROR');
});

test('an unknown code gives UNKNOWN_ERROR_CODE_<n> instead of throwing', () => {
  const e = protocolError(9999)!;
  expect(e.name).toBe('UNKNOWN_ERROR_CODE_9999');
  expect(e.code).toBe(9999);
  expect(e.retriable).toBe(false);
  expect(e.invalidMetadata).toBe(false);
});
