// Jest's default order, plus one look at the test files of the run: when one of them mentions
// `sharedKafka`, test/global-setup.ts starts the shared Kafka broker (a JVM is not started for
// runs that do not need it). Jest sorts the tests before it runs the global setup, in this process.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

class KafkaAwareSequencer extends Sequencer {
  sort(tests) {
    if (tests.some((t) => readFileSync(t.path, 'utf8').includes('sharedKafka'))) {
      process.env.KAFKA_RX_NEEDS_KAFKA = '1';
    }
    return super.sort(tests);
  }
}

module.exports = KafkaAwareSequencer;
