import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka's own KafkaShareConsumer (KIP-932) in a share group, for tests where it shares the group
 * with kafka-rx members. Args: bootstrap group topic clientId. Accepts every record explicitly and
 * commits after each poll. Prints JSON lines: polling (after its fifth poll: joined), record
 * (partition, offset, value, deliveryCount), closed. Reads `close` on stdin (closes, leaving the group); end of input halts at once.
 */
public class ShareMember {
  static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  static String quote(String s) {
    return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("group.id", args[1]);
    props.put("client.id", args[3]);
    props.put("share.acknowledgement.mode", "explicit");
    props.put("max.poll.records", "5");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(props);
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
              if (!closing.get()) Runtime.getRuntime().halt(0);
            });
    commands.setDaemon(true);
    commands.start();

    consumer.subscribe(java.util.List.of(args[2]));
    int polls = 0;
    try {
      while (!closing.get()) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        // A few polls in, the member has joined and been assigned the topic's partitions.
        if (++polls == 5) print("{\"event\":\"polling\"}");
        for (ConsumerRecord<String, String> r : records) {
          print(
              "{\"event\":\"record\",\"partition\":"
                  + r.partition()
                  + ",\"offset\":"
                  + r.offset()
                  + ",\"value\":"
                  + quote(r.value())
                  + ",\"deliveryCount\":"
                  + r.deliveryCount().orElse((short) 0)
                  + "}");
          consumer.acknowledge(r, AcknowledgeType.ACCEPT);
        }
        if (!records.isEmpty()) consumer.commitSync();
      }
    } catch (WakeupException e) {
      // close requested
    }
    consumer.close();
    print("{\"event\":\"closed\"}");
  }
}
