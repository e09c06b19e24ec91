/**
 * Jest for mutation runs (stryker.config.mjs, which picks the test files per core module): only fast
 * unit and virtual-time tests. No Kafka JVM, no librdkafka mock, no TCP, and so no global setup.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  testEnvironment: base.testEnvironment,
  transform: base.transform,
  testTimeout: base.testTimeout,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
};
