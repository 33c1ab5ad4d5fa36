// Publish one CloudEvent that a nestjs-event-bus service can consume.
//
// Usage: java -cp <amqp-client and slf4j jars> PublishEvent.java TYPE ID DATA_JSON [CORRELATION_ID]
//
// Environment: RABBITMQ_URL (default amqp://guest:guest@127.0.0.1:5672), EVENT_EXCHANGE (the
// consuming service's `rabbitmq.exchange`, default events), EVENT_SOURCE (the event's `source`,
// default java-producer). Exits 0 once the broker confirmed the event, 1 when it was unroutable,
// nacked or could not be sent, 2 on bad arguments. Needs the RabbitMQ Java client 5.x
// (Debian: librabbitmq-client-java) and Java 11 or later.

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicBoolean;

public class PublishEvent {
  // The consuming service's `maxMessageBytes` (default 1 MiB); larger bodies are dead-lettered unread.
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  public static void main(String[] args) {
    if (args.length < 3 || args.length > 4) {
      fail("usage: PublishEvent.java TYPE ID DATA_JSON [CORRELATION_ID]", 2);
    }
    String type = args[0], id = args[1], dataJson = args[2];
    String correlationId = args.length == 4 ? args[3] : id;
    String url = env("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672");
    String exchange = env("EVENT_EXCHANGE", "events");
    String source = env("EVENT_SOURCE", "java-producer");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    // CloudEvents 1.0, JSON structured mode (docs/wire-format.md section 1). DATA_JSON goes in
    // as given: it must be valid JSON, or the consumer dead-letters the event.
    String event = "{\"specversion\":\"1.0\""
        + ",\"id\":" + quote(id)
        + ",\"source\":" + quote(source)
        + ",\"type\":" + quote(type)
        + ",\"time\":" + quote(now.toString()) // ISO-8601 UTC, e.g. 2024-05-06T07:08:09.123Z
        + ",\"datacontenttype\":\"application/json\""
        + ",\"data\":" + dataJson
        + ",\"correlationid\":" + quote(correlationId)
        + ",\"eventversion\":\"1.0.0\",\"schemaversion\":\"1.0\"}";
    byte[] body = event.getBytes(StandardCharsets.UTF_8);
    if (body.length > MAX_MESSAGE_BYTES) {
      fail("event " + id + " is " + body.length + " bytes, the limit is " + MAX_MESSAGE_BYTES, 1);
    }

    // AMQP properties mirror the body (docs/wire-format.md section 2).
    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
        .messageId(id) // with the source: the de-duplication key
        .type(type)
        .contentType("application/cloudevents+json")
        .appId(source)
        .correlationId(correlationId)
        .timestamp(Date.from(now)) // the client sends whole seconds
        .deliveryMode(2) // persistent
        .build();

    AtomicBoolean returned = new AtomicBoolean(false);
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(url);
    } catch (Exception e) {
      fail("invalid RABBITMQ_URL: " + e.getMessage(), 2);
    }
    try (Connection connection = factory.newConnection("publish-event")) {
      Channel channel = connection.createChannel();
      // The broker returns a mandatory message no queue is bound for, before confirming it.
      channel.addReturnListener(r -> returned.set(true));
      channel.confirmSelect();
      channel.basicPublish(exchange, type /* routing key = event type */, true, properties, body);
      boolean acked = channel.waitForConfirms(10_000); // false when nacked
      if (returned.get()) {
        fail("unroutable: no queue is bound to '" + type + "' on exchange '" + exchange
            + "', event " + id + " was not delivered", 1);
      }
      if (!acked) fail("nacked: the broker refused event " + id + "; publish it again", 1);
    } catch (Exception e) {
      // e.g. no connection, or the exchange does not exist (404): no consumer has declared it.
      fail("not published: " + e.getMessage(), 1);
    }
    System.out.println("published " + type + " " + id + " to " + exchange);
  }

  static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    return out.append('"').toString();
  }

  static void fail(String message, int code) {
    System.err.println("PublishEvent: " + message);
    System.exit(code);
  }
}
