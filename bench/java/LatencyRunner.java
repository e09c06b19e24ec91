import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Java client as a latency runner of bench/latency.ts: a KafkaProducer with its defaults
 * (acks=all, idempotent, linger.ms 5 since Kafka 4.0) sends one record at a time at a steady
 * `--rate` records/s for `--warmup-s` + `--seconds` seconds; each record's latency is taken from
 * its send call to its callback. The records of the warm-up (when the JIT warms, as the Node
 * runners connect and learn metadata) are left out. Prints the JSON line the Node latency runners
 * print.
 *
 * Usage: --bootstrap H:P --topic T --rate R --seconds S --warmup-s W --value-bytes B
 */
public final class LatencyRunner {
  static double quantile(double[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
  }

  public static void main(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    try {
      double rate = Double.parseDouble(args.get("rate"));
      int warmup = (int) Math.round(Double.parseDouble(args.get("warmup-s")) * rate);
      int total = warmup + (int) Math.round(Double.parseDouble(args.get("seconds")) * rate);
      byte[] value = new byte[Integer.parseInt(args.get("value-bytes"))];
      Arrays.fill(value, (byte) 'v');
      String topic = args.get("topic");

      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap"));
      props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
      props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

      double[] latencies = new double[total - warmup];
      CountDownLatch acked = new CountDownLatch(total);
      AtomicReference<Exception> failure = new AtomicReference<>();
      AtomicInteger late = new AtomicInteger();
      long intervalNanos = (long) (1e9 / rate);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
          long due = start + i * intervalNanos;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
          final int index = i;
          final long sentAt = System.nanoTime();
          if (i >= warmup && sentAt - due > 2_000_000) late.incrementAndGet();
          producer.send(
              new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8), value),
              (metadata, error) -> {
                if (error != null) failure.compareAndSet(null, error);
                else if (index >= warmup) latencies[index - warmup] = (System.nanoTime() - sentAt) / 1e6;
                acked.countDown();
              });
        }
        if (!acked.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("not every record was acknowledged");
      }
      if (failure.get() != null) throw failure.get();
      Arrays.sort(latencies);
      System.out.println(
          String.format(
              java.util.Locale.ROOT,
              "{\"records\":%d,\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,\"late\":%d,\"maxRssKb\":%d,\"cpuSeconds\":%.3f}",
              latencies.length,
              quantile(latencies, 0.5),
              quantile(latencies, 0.9),
              quantile(latencies, 0.99),
              latencies[latencies.length - 1],
              late.get(),
              ConsumeRunner.maxRssKb(),
              ConsumeRunner.processCpuNanos() / 1e9));
      System.exit(0);
    } catch (Throwable e) {
      String reason = (e.getClass().getSimpleName() + ": " + e.getMessage()).replace("\\", "\\\\").replace("\"", "'");
      System.out.println("{\"error\":\"" + reason.replace("\n", " ") + "\"}");
      System.exit(2);
    }
  }
}
