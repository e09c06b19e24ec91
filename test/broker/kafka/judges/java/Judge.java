import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka's own consumers as judges of kafka-rx, one program (a single source file, as the Java 17
 * launcher runs it). The first argument picks the member: `group` (GroupMember) or `share`
 * (ShareMember); the rest are that member's. Each prints JSON lines and reads commands on stdin:
 * `close` closes the consumer (leaving the group); end of input halts at once, so a member never
 * outlives the test process.
 */
public class Judge {
  public static void main(String[] args) throws Exception {
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    if (args[0].equals("group")) GroupMember.run(rest);
    else if (args[0].equals("share")) ShareMember.run(rest);
    else throw new IllegalArgumentException("no such member: " + args[0]);
  }
}

/** The JSON lines and the stdin commands every member shares. */
class Lines {
  static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A record line: partition, offset, value, then any further `"name":value` fields. */
  static void record(ConsumerRecord<String, String> r, String more) {
    print(
        "{\"event\":\"record\",\"partition\":"
            + r.partition()
            + ",\"offset\":"
            + r.offset()
            + ",\"value\":"
            + quote(r.value())
            + more
            + "}");
  }

  /** Reads stdin: `close` sets `closing` and wakes the consumer; end of input halts. */
  static void readCommands(AtomicBoolean closing, Runnable wakeup) {
    Thread commands =
        new Thread(
            () -> {
              try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.trim().equals("close")) {
                    closing.set(true);
                    wakeup.run();
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
  }

  static Properties consumerProperties(String bootstrap, String group, String clientId) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("group.id", group);
    props.put("client.id", clientId);
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    return props;
  }
}

/**
 * A plain KafkaConsumer in a group. Args: bootstrap group topic assignor(range|cooperative-sticky,
 * classic protocol; or consumer, KIP-848) clientId. Prints assigned/revoked/lost (partitions),
 * record (partition, offset, value), committed (offsets), closed. Commits synchronously after
 * every poll that returned records and before partitions are revoked, so its commits always
 * cover what it printed.
 */
class GroupMember {
  static final Map<TopicPartition, OffsetAndMetadata> consumed = new HashMap<>();

  static String partitions(Collection<TopicPartition> tps) {
    List<String> out = new ArrayList<>();
    for (TopicPartition tp : tps) out.add(String.valueOf(tp.partition()));
    return "[" + String.join(",", out) + "]";
  }

  static void commit(KafkaConsumer<String, String> consumer) {
    if (consumed.isEmpty()) return;
    consumer.commitSync(consumed);
    List<String> out = new ArrayList<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : consumed.entrySet())
      out.add("{\"partition\":" + e.getKey().partition() + ",\"offset\":" + e.getValue().offset() + "}");
    Lines.print("{\"event\":\"committed\",\"offsets\":[" + String.join(",", out) + "]}");
    consumed.clear();
  }

  static void run(String[] args) {
    Properties props = Lines.consumerProperties(args[0], args[1], args[4]);
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
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    AtomicBoolean closing = new AtomicBoolean(false);
    Lines.readCommands(closing, consumer::wakeup);

    consumer.subscribe(
        List.of(args[2]),
        new ConsumerRebalanceListener() {
          public void onPartitionsRevoked(Collection<TopicPartition> tps) {
            commit(consumer);
            Lines.print("{\"event\":\"revoked\",\"partitions\":" + partitions(tps) + "}");
          }

          public void onPartitionsAssigned(Collection<TopicPartition> tps) {
            Lines.print(
                "{\"event\":\"assigned\",\"memberId\":"
                    + Lines.quote(consumer.groupMetadata().memberId())
                    + ",\"partitions\":"
                    + partitions(tps)
                    + "}");
          }

          public void onPartitionsLost(Collection<TopicPartition> tps) {
            consumed.clear();
            Lines.print("{\"event\":\"lost\",\"partitions\":" + partitions(tps) + "}");
          }
        });
    try {
      while (!closing.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          Lines.record(r, "");
          consumed.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        commit(consumer);
      }
    } catch (WakeupException e) {
      // close was asked for.
    }
    commit(consumer);
    consumer.close();
    Lines.print("{\"event\":\"closed\"}");
    System.exit(0);
  }
}

/**
 * Kafka's KafkaShareConsumer (KIP-932) in a share group. Args: bootstrap group topic clientId.
 * Accepts every record explicitly and commits after each poll. Prints polling (after its fifth
 * poll: joined), record (partition, offset, value, deliveryCount), closed.
 */
class ShareMember {
  static void run(String[] args) {
    Properties props = Lines.consumerProperties(args[0], args[1], args[3]);
    props.put("share.acknowledgement.mode", "explicit");
    props.put("max.poll.records", "5");
    KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props);
    AtomicBoolean closing = new AtomicBoolean(false);
    Lines.readCommands(closing, consumer::wakeup);

    consumer.subscribe(List.of(args[2]));
    int polls = 0;
    try {
      while (!closing.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        // A few polls in, the member has joined and been assigned the topic's partitions.
        if (++polls == 5) Lines.print("{\"event\":\"polling\"}");
        for (ConsumerRecord<String, String> r : records) {
          Lines.record(r, ",\"deliveryCount\":" + r.deliveryCount().orElse((short) 0));
          consumer.acknowledge(r, AcknowledgeType.ACCEPT);
        }
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (WakeupException e) {
      // close requested
    }
    consumer.close();
    Lines.print("{\"event\":\"closed\"}");
  }
}
