/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/examples'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testSequencer: '<rootDir>/test/broker/kafka/sequencer.cjs',
  testTimeout: 30000,
  // Tests run in one process on two cores; a socket or timer some suite leaves behind must not keep
  // the run from ending once every suite has finished (brokers are stopped by the global teardown).
  forceExit: true,
};
