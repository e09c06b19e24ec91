import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Java transactional producer, for tests where Kafka's own client writes real transaction
 * markers. Args: bootstrap topic transactionalId plan, where plan is a comma-separated list of
 * `commit:N` or `abort:N` (one transaction each, N records valued `t<index>-<i>`, keyed by i).
 * Prints one JSON line per transaction: {"transaction":index,"outcome":...,"offsets":[[partition,offset],...]}.
 */
public class TransactionalProducer {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("transactional.id", args[2]);
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      String[] plan = args[3].split(",");
      for (int t = 0; t < plan.length; t++) {
        String[] step = plan[t].split(":");
        producer.beginTransaction();
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < Integer.parseInt(step[1]); i++)
          sent.add(producer.send(new ProducerRecord<>(args[1], String.valueOf(i), "t" + t + "-" + i)));
        producer.flush();
        List<String> offsets = new ArrayList<>();
        for (java.util.concurrent.Future<RecordMetadata> f : sent) {
          RecordMetadata m = f.get();
          offsets.add("[" + m.partition() + "," + m.offset() + "]");
        }
        if (step[0].equals("commit")) producer.commitTransaction();
        else producer.abortTransaction();
        System.out.println(
            "{\"transaction\":" + t + ",\"outcome\":\"" + step[0] + "\",\"offsets\":[" + String.join(",", offsets) + "]}");
      }
    }
  }
}
