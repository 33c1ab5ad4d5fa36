'use strict';

const { randomUUID } = require('node:crypto');

/**
 * The message nestjs-event-bus puts on the wire for an event (README, "Wire format"), built by hand: a
 * CloudEvents 1.0 JSON body (id, source, type, time, datacontenttype, data, correlationid,
 * eventversion, schemaversion) and the AMQP properties that mirror it (messageId,
 * correlationId, type, appId, timestamp, contentType). The raw amqplib contender sends this
 * when asked to, so the run shows what the format alone costs the broker, apart from the
 * library's own work.
 *
 * @param {string} source the publishing service's name (the library's `serviceName`)
 * @param {string} type the event type (also the routing key)
 * @param {unknown} data
 * @param {boolean} [minimal] only the content type and delivery mode as properties (`messageProperties: 'minimal'`)
 * @returns {{ body: Buffer, properties: import('amqplib').Options.Publish }}
 */
function cloudEventMessage(source, type, data, minimal = false) {
  const id = randomUUID();
  const correlationId = randomUUID();
  const time = new Date();
  const body = Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id,
      source,
      type,
      time: time.toISOString(),
      datacontenttype: 'application/json',
      data,
      correlationid: correlationId,
      eventversion: '1.0.0',
      schemaversion: '1.0',
    }),
  );
  if (minimal) return { body, properties: { persistent: true, contentType: 'application/cloudevents+json' } };
  return {
    body,
    properties: {
      persistent: true,
      contentType: 'application/cloudevents+json',
      messageId: id,
      correlationId,
      type,
      appId: source,
      timestamp: Math.floor(time.getTime() / 1000),
    },
  };
}

module.exports = { cloudEventMessage };
