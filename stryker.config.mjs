// Mutation testing of the core modules (npm run test:mutation). One module at a time:
//   MUTATION_MODULE=ticks npm run test:mutation
// Each selection keeps its own incremental file, so a module run does not throw away the others' results.

/**
 * The core modules: the files mutated, and the fast tests run against them (each mutant runs only
 * the tests among these that reach it). The README's score table has one line per entry.
 */
export const coreModules = {
  membership: {
    mutate: ['src/consumer/membership/**/*.ts'],
    tests: ['consumer/membership/*', 'consumer/consumer.group'],
  },
  ticks: {
    mutate: ['src/consumer/ticks.ts'],
    tests: ['consumer/ticks', 'consumer/consumer.group'],
  },
  offsets: {
    mutate: ['src/consumer/offsets/**/*.ts'],
    tests: [
      'consumer/offsets/*',
      'consumer/consumer.delivery',
      'consumer/{auto-commit-backlog,commit-eager,revoke-order}',
      // offset lookups and resets (OFFSET_OUT_OF_RANGE, OffsetFetch errors, lost coordinators)
      'consumer/{consumer.fetch,coordinator-connection-lost}',
    ],
  },
  fetcher: {
    mutate: ['src/consumer/fetcher/**/*.ts'],
    tests: ['consumer/fetcher/*', 'consumer/consumer.fetch', 'consumer/read-committed'],
  },
  records: {
    mutate: [
      'src/protocol/records/record-batch-decoder.ts',
      'src/protocol/records/fetched-records.ts',
      'src/protocol/records/aborted-transactions.ts',
      'src/protocol/records/control-record.ts',
      'src/protocol/records/varint.ts',
      'src/protocol/records/crc32c.ts',
    ],
    tests: [
      'protocol/records/{record-batch-decoder,record-batch-encoder,fetched-records,crc32c,compression}',
      'protocol/records/{varint,malformed-batches}',
    ],
  },
  accumulator: {
    mutate: ['src/producer/record-accumulator.ts', 'src/producer/producer-batch.ts'],
    tests: ['producer/{record-accumulator,batching,eager-send,produce-operator}'],
  },
  sender: {
    mutate: ['src/producer/sender.ts'],
    tests: ['producer/{sender-unit,sender,batching,retries,delivery-timeout,errors}'],
  },
};

const only = process.env.MUTATION_MODULE;
if (only !== undefined && !(only in coreModules)) {
  throw new Error(`MUTATION_MODULE=${only}: not one of ${Object.keys(coreModules).join(', ')}`);
}
const chosen = only ? [coreModules[only]] : Object.values(coreModules);
// MUTATION_TESTS=consumer/offsets/* runs only these tests (comma-separated, as in `tests` above):
// a quicker lower bound of a score, reported apart (more tests can only kill more mutants).
const subset = process.env.MUTATION_TESTS?.split(',');
const selection = `${only ?? 'core'}${subset ? '-subset' : ''}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    config: {
      testMatch: (subset ?? chosen.flatMap((m) => m.tests)).map((t) => `<rootDir>/test/${t}.test.ts`),
    },
    // A mutant's run loads only the test files that import its file.
    enableFindRelatedTests: true,
  },
  mutate: chosen.flatMap((m) => m.mutate),
  // Only the tests that reach a mutant run for it; other people share the two cores.
  coverageAnalysis: 'perTest',
  concurrency: 1,
  // Mutants in module-level constants would need every test for each; they are listed as ignored.
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `reports/mutation/${selection}.incremental.json`,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${selection}.json` },
  htmlReporter: { fileName: `reports/mutation/${selection}.html` },
  ignorePatterns: ['dist', 'bench', 'examples', 'reports', '.cache', 'coverage'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  // A mutant that loops forever is cut off this long past its tests' normal time.
  timeoutMS: 5000,
  thresholds: { high: 90, low: 80, break: null },
};
