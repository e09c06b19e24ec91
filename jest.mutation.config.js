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
  // src/ too: Stryker runs each mutant with --findRelatedTests, which follows imports only through
  // files under the roots; without src/ it would find only the tests that import a file directly.
  roots: ['<rootDir>/test', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
};
