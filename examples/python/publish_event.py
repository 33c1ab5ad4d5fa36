#!/usr/bin/env python3
"""Publish one CloudEvent that a nestjs-event-bus service can consume.

Usage: publish_event.py TYPE ID DATA_JSON [CORRELATION_ID]

Environment:
  RABBITMQ_URL    broker URL (default amqp://guest:guest@127.0.0.1:5672)
  EVENT_EXCHANGE  the consuming service's `rabbitmq.exchange` (default events)
  EVENT_SOURCE    this producer's name, the event's `source`
                  (default python-producer)

Exits 0 once the broker confirmed the event, 1 when it was unroutable,
nacked or could not be sent, 2 on bad arguments. Needs pika 1.x (Debian:
python3-pika).
"""
import json
import os
import sys
from datetime import datetime, timezone

import pika
from pika.exceptions import (
    AMQPConnectionError,
    ChannelClosedByBroker,
    NackError,
    UnroutableError,
)

# The consuming service's `maxMessageBytes` (default 1 MiB); larger bodies
# are dead-lettered unread.
MAX_MESSAGE_BYTES = 1024 * 1024


def fail(message, code=1):
    print(f"publish_event: {message}", file=sys.stderr)
    sys.exit(code)


def main():
    if len(sys.argv) not in (4, 5):
        fail("usage: publish_event.py TYPE ID DATA_JSON [CORRELATION_ID]", 2)
    event_type, event_id, data_json = sys.argv[1:4]
    correlation_id = sys.argv[4] if len(sys.argv) == 5 else event_id
    try:
        data = json.loads(data_json)
    except ValueError as err:
        fail(f"DATA_JSON is not valid JSON: {err}", 2)

    url = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672")
    exchange = os.environ.get("EVENT_EXCHANGE", "events")
    source = os.environ.get("EVENT_SOURCE", "python-producer")
    now = datetime.now(timezone.utc)
    # ISO-8601 UTC with milliseconds, e.g. 2024-05-06T07:08:09.123Z
    sent_at = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    # CloudEvents 1.0, JSON structured mode (docs/wire-format.md section 1).
    event = {
        "specversion": "1.0",
        "id": event_id,
        "source": source,
        "type": event_type,
        "time": sent_at,
        "datacontenttype": "application/json",
        "data": data,
        "correlationid": correlation_id,
        "eventversion": "1.0.0",
        "schemaversion": "1.0",
    }
    body = json.dumps(event, separators=(",", ":")).encode("utf-8")
    if len(body) > MAX_MESSAGE_BYTES:
        fail(f"event {event_id} is {len(body)} bytes, the limit is "
             f"{MAX_MESSAGE_BYTES}")

    # AMQP properties mirror the body (docs/wire-format.md section 2).
    properties = pika.BasicProperties(
        message_id=event_id,  # with the source: the de-duplication key
        type=event_type,
        content_type="application/cloudevents+json",
        app_id=source,
        correlation_id=correlation_id,
        timestamp=int(now.timestamp()),  # seconds, not milliseconds
        delivery_mode=2,  # persistent
    )

    try:
        connection = pika.BlockingConnection(pika.URLParameters(url))
    except AMQPConnectionError as err:
        fail(f"cannot connect to RabbitMQ: {err!r}")
    try:
        channel = connection.channel()
        # With confirms, basic_publish waits for the broker's answer and raises
        # UnroutableError (mandatory message without a queue) or NackError.
        channel.confirm_delivery()
        channel.basic_publish(
            exchange=exchange,
            routing_key=event_type,  # routing key = event type
            body=body,
            properties=properties,
            mandatory=True,
        )
    except UnroutableError:
        fail(
            f"unroutable: no queue is bound to {event_type!r} on exchange "
            f"{exchange!r}, event {event_id} was not delivered"
        )
    except NackError:
        fail(f"nacked: the broker refused event {event_id}; publish it again")
    except ChannelClosedByBroker as err:
        # 404 when the exchange does not exist: no consumer has declared it.
        fail(f"refused by the broker: {err.reply_code} {err.reply_text}")
    finally:
        if connection.is_open:
            connection.close()
    print(f"published {event_type} {event_id} to {exchange}")


if __name__ == "__main__":
    main()
