import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Java client as a producer runner of bench/produce.ts: a KafkaProducer (acks=all, which is
 * also its default, idempotent by default, every other setting at its default but the codec)
 * sends keys `k<i>` with values of `--value-bytes` bytes 'v' and waits for every acknowledgement,
 * then prints the JSON line the Node producer runners print.
 *
 * The JIT needs warming: the records are sent once untimed to `--warmup-topic`, then, timed, to
 * `--topic` by a new producer. The CPU time printed leaves out the warm-up pass; the peak RSS
 * (VmHWM) covers both.
 *
 * Usage: --bootstrap H:P --topic T --warmup-topic W --records N --value-bytes B [--compression C]
 */
public final class ProduceRunner {
  static double[] send(Properties props, String topic, byte[][] keys, byte[] value) throws Exception {
    CountDownLatch acked = new CountDownLatch(keys.length);
    AtomicReference<Exception> failure = new AtomicReference<>();
    double firstSendAt;
    double lastAckAt;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      firstSendAt = ConsumeRunner.wallClockMs();
      for (byte[] key : keys) {
        producer.send(
            new ProducerRecord<>(topic, key, value),
            (metadata, error) -> {
              if (error != null) failure.compareAndSet(null, error);
              acked.countDown();
            });
      }
      if (!acked.await(600, TimeUnit.SECONDS)) throw new IllegalStateException("not every record was acknowledged");
      // Taken before close(), which stops the network thread.
      lastAckAt = ConsumeRunner.wallClockMs();
    }
    if (failure.get() != null) throw failure.get();
    return new double[] {firstSendAt, lastAckAt};
  }

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    try {
      int records = Integer.parseInt(args.get("records"));
      byte[] value = new byte[Integer.parseInt(args.get("value-bytes"))];
      Arrays.fill(value, (byte) 'v');
      byte[][] keys = new byte[records][];
      for (int i = 0; i < records; i++) keys[i] = ("k" + i).getBytes(StandardCharsets.UTF_8);

      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap"));
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, args.getOrDefault("compression", "none"));
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

      long warmupCpu = ConsumeRunner.processCpuNanos();
      send(props, args.get("warmup-topic"), keys, value);
      warmupCpu = ConsumeRunner.processCpuNanos() - warmupCpu;

      double startedAt = ConsumeRunner.wallClockMs();
      double[] timed = send(props, args.get("topic"), keys, value);
      double cpuSeconds = (ConsumeRunner.processCpuNanos() - warmupCpu) / 1e9;
      System.out.println(
          String.format(
              java.util.Locale.ROOT,
              "{\"records\":%d,\"startedAt\":%.3f,\"firstSendAt\":%.3f,\"lastAckAt\":%.3f,\"maxRssKb\":%d,\"cpuSeconds\":%.3f}",
              records, startedAt, timed[0], timed[1], ConsumeRunner.maxRssKb(), cpuSeconds));
      System.exit(0);
    } catch (Throwable e) {
      String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace("\\", "\\\\").replace("\"", "'");
      System.out.println("{\"error\":\"" + reason.replace("\n", " ") + "\"}");
      System.exit(2);
    }
  }
}
