import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Java client as a consumer runner of bench/consume.ts: a KafkaConsumer in a fresh group reads
 * the topic from the beginning (auto.offset.reset=earliest, auto-commit off, every other setting
 * at its default) until it has seen every record, and prints the JSON line the Node runners print.
 *
 * The JIT needs warming: the topic is read once untimed with a group of its own, then again,
 * timed, with the group given. The CPU time printed leaves out the warm-up pass (process CPU
 * at the end minus what the warm-up pass used); the peak RSS is the process's (VmHWM), both passes.
 *
 * Usage: --bootstrap H:P --topic T --records N --group G [--first-record-timeout-ms MS]
 */
public final class ConsumeRunner {
  private static final class Tally {
    final long expected;
    long records, duplicates, gaps, bytes;
    double firstRecordAt, lastRecordAt;
    /** Next offset expected per partition: an array, as the Node runners keep, no boxing per record. */
    long[] next = new long[64];

    Tally(long expected) {
      this.expected = expected;
    }

    /** Counts each (partition, offset) once; true once every record has been seen. */
    boolean add(int partition, long offset, int keyBytes, int valueBytes) {
      if (partition >= next.length) next = Arrays.copyOf(next, Math.max(partition + 1, next.length * 2));
      long expectedOffset = next[partition];
      if (offset < expectedOffset) {
        duplicates++;
        return records >= expected;
      }
      gaps += offset - expectedOffset;
      next[partition] = offset + 1;
      if (records == 0) firstRecordAt = wallClockMs();
      records++;
      bytes += keyBytes + valueBytes;
      if (records < expected) return false;
      if (lastRecordAt == 0) lastRecordAt = wallClockMs();
      return true;
    }
  }

  static double wallClockMs() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Peak resident set of this process, from /proc (the JVM does not report it). */
  static long maxRssKb() throws Exception {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    return -1;
  }

  static Tally read(String bootstrap, String topic, String group, long records, long firstRecordTimeoutMs) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Tally tally = new Tally(records);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      double start = wallClockMs();
      boolean done = false;
      while (!done) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          byte[] key = r.key();
          byte[] value = r.value();
          done = tally.add(r.partition(), r.offset(), key == null ? 0 : key.length, value == null ? 0 : value.length);
          if (done) break;
        }
        if (tally.records == 0 && wallClockMs() - start > firstRecordTimeoutMs) {
          throw new IllegalStateException("no record within " + firstRecordTimeoutMs / 1000 + " s");
        }
      }
    }
    return tally;
  }

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    try {
      String bootstrap = args.get("bootstrap");
      String topic = args.get("topic");
      String group = args.get("group");
      long records = Long.parseLong(args.get("records"));
      long timeoutMs = Long.parseLong(args.getOrDefault("first-record-timeout-ms", "30000"));

      long warmupCpu = processCpuNanos();
      read(bootstrap, topic, group + "-warmup", records, timeoutMs);
      warmupCpu = processCpuNanos() - warmupCpu;

      double startedAt = wallClockMs();
      Tally t = read(bootstrap, topic, group, records, timeoutMs);
      double cpuSeconds = (processCpuNanos() - warmupCpu) / 1e9;
      System.out.println(
          String.format(
              java.util.Locale.ROOT,
              "{\"records\":%d,\"duplicates\":%d,\"gaps\":%d,\"bytes\":%d,\"startedAt\":%.3f,"
                  + "\"firstRecordAt\":%.3f,\"lastRecordAt\":%.3f,\"maxRssKb\":%d,\"cpuSeconds\":%.3f}",
              t.records, t.duplicates, t.gaps, t.bytes, startedAt, t.firstRecordAt, t.lastRecordAt, maxRssKb(),
              cpuSeconds));
      System.exit(0);
    } catch (Throwable e) {
      String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace("\\", "\\\\").replace("\"", "'");
      System.out.println("{\"error\":\"" + reason.replace("\n", " ") + "\"}");
      System.exit(2);
    }
  }
}
