import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A plain Java KafkaConsumer in a group, for tests where Kafka's own client judges kafka-rx.
 * Args: bootstrap group topic assignor(range|cooperative-sticky, classic protocol; or consumer, KIP-848) clientId.
 * Prints JSON lines: assigned/revoked/lost (partitions), record (partition, offset, value),
 * committed (offsets), closed. Commits synchronously after every poll that returned records and
 * before partitions are revoked, so its commits always cover what it printed. Reads commands on
 * stdin: `close` closes the consumer (leaving the group); end of input halts at once.
 */
public class GroupMember {
  static final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();

  static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static String partitions(Collection<TopicPartition> tps) {
    List<String> out = new ArrayList<>();
    for (TopicPartition tp : tps) out.add(String.valueOf(tp.partition()));
    return "[" + String.join(",", out) + "]";
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static void commit(KafkaConsumer<String, String> consumer) {
    if (consumed.isEmpty()) return;
    consumer.commitSync(consumed);
    List<String> out = new ArrayList<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : consumed.entrySet())
      out.add("{\"partition\":" + e.getKey().partition() + ",\"offset\":" + e.getValue().offset() + "}");
    print("{\"event\":\"committed\",\"offsets\":[" + String.join(",", out) + "]}");
    consumed.clear();
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("group.id", args[1]);
    props.put("client.id", args[4]);
    if (args[3].equals("consumer")) {
      // KIP-848: the broker assigns and sets the session and heartbeat timing.
      props.put("group.protocol", "consumer");
    } else {
      props.put("group.protocol", "classic");
      props.put(
          "partition.assignment.strategy",
          args[3].equals("range")
              ? "org.apache.kafka.clients.consumer.RangeAssignor"
              : "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
      props.put("session.timeout.ms", "6000");
      props.put("heartbeat.interval.ms", "500");
    }
    props.put("enable.auto.commit", "false");
    props.put("auto.offset.reset", "earliest");
    props.put("max.poll.interval.ms", "20000");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    AtomicBoolean closing = new AtomicBoolean(false);

    Thread commands =
        new Thread(
            () -> {
              try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.trim().equals("close")) {
                    closing.set(true);
                    consumer.wakeup();
                  }
                }
              } catch (Exception e) {
                // Treated as end of input.
              }
              // The test process is gone (or closed our input): do not outlive it.
              if (!closing.get()) Runtime.getRuntime().halt(0);
            });
    commands.setDaemon(true);
    commands.start();

    consumer.subscribe(
        List.of(args[2]),
        new ConsumerRebalanceListener() {
          public void onPartitionsRevoked(Collection<TopicPartition> tps) {
            commit(consumer);
            print("{\"event\":\"revoked\",\"partitions\":" + partitions(tps) + "}");
          }

          public void onPartitionsAssigned(Collection<TopicPartition> tps) {
            print(
                "{\"event\":\"assigned\",\"memberId\":"
                    + quote(consumer.groupMetadata().memberId())
                    + ",\"partitions\":"
                    + partitions(tps)
                    + "}");
          }

          public void onPartitionsLost(Collection<TopicPartition> tps) {
            consumed.clear();
            print("{\"event\":\"lost\",\"partitions\":" + partitions(tps) + "}");
          }
        });
    try {
      while (!closing.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          print(
              "{\"event\":\"record\",\"partition\":"
                  + r.partition()
                  + ",\"offset\":"
                  + r.offset()
                  + ",\"value\":"
                  + quote(r.value())
                  + "}");
          consumed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        commit(consumer);
      }
    } catch (WakeupException e) {
      // close was asked for.
    }
    commit(consumer);
    consumer.close();
    print("{\"event\":\"closed\"}");
    System.exit(0);
  }
}
