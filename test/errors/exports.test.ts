import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kafkaRx from '../../src';
import { bootstrapError } from '../../src/cluster/errors';
import { authenticationError, connectionError, requestTimeoutError } from '../../src/transport/errors';

const broker = { host: '127.0.0.1', port: 9092 };

describe('error classes', () => {
  it('every error class the README names (outside the command line) is exported from the package entry and is a KafkaRxError', () => {
    // The command line's own error names (UsageError, StopTimeoutError...) are what it prints, not classes.
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').replace(
      /\n## Command line\n[\s\S]*?(?=\n## )/,
      '',
    );
    const named = [...new Set(readme.match(/\b[A-Z][A-Za-z]+Error\b/g))].sort();
    expect(named.length).toBeGreaterThan(10);
    const exported = kafkaRx as unknown as Record<string, unknown>;
    const missing = named.filter((name) => typeof exported[name] !== 'function');
    expect(missing).toEqual([]);
    for (const name of named) {
      const ErrorClass = exported[name] as abstract new (...args: never[]) => Error;
      expect(
        ErrorClass === kafkaRx.KafkaRxError || ErrorClass.prototype instanceof kafkaRx.KafkaRxError,
      ).toBe(true);
    }
  });

  it('errors raised inside are instances of the exported classes, with their name', () => {
    const cases: Array<[Error, abstract new (...args: never[]) => Error, string]> = [
      [connectionError(broker, 'was refused'), kafkaRx.ConnectionError, 'ConnectionError'],
      [requestTimeoutError(broker, 'Fetch', 100), kafkaRx.RequestTimeoutError, 'RequestTimeoutError'],
      [authenticationError(broker, 'bad password'), kafkaRx.AuthenticationError, 'AuthenticationError'],
      [bootstrapError([]), kafkaRx.BootstrapError, 'BootstrapError'],
    ];
    for (const [error, ErrorClass, name] of cases) {
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(kafkaRx.KafkaRxError);
      expect(error.name).toBe(name);
    }
  });
});
