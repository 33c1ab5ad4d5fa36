import { CLOUDEVENTS_CONTENT_TYPE } from '../event-bus.constants';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import type { EventBusAsyncApiOptions } from './asyncapi-options.interface';
import { dtoSchemas, SCHEMA_POINTER_PREFIX, type JsonSchema } from './dto-json-schema';

/** Version of the AMQP bindings written (github.com/asyncapi/bindings, amqp 0.3.0). */
const AMQP_BINDING_VERSION = '0.3.0';

/** One handler of the service, as the document describes it. */
export interface DocumentedHandler {
  type: string;
  /** Queue name; for a private (`durable: false`) queue, the base name before the instance suffix. */
  queue: string;
  durable: boolean;
  /** `Class.method`, or `subscribe()` for a handler bound at run time. */
  handlerName: string;
  /** The handler's own DTO (`schema` option), which wins over the module's `schemas`. */
  schema?: ClassConstructor;
}

/** Everything the document is built from. */
export interface AsyncApiInput {
  serviceName: string;
  exchange: string;
  deadLetterExchange: string;
  /** The broker URL; only its protocol, host, port and vhost reach the document. */
  brokerUrl: string;
  schemas: Record<string, ClassConstructor>;
  handlers: readonly DocumentedHandler[];
  options: EventBusAsyncApiOptions;
}

/** An AsyncAPI 3.0 document as a plain object. */
export type AsyncApiDocument = Record<string, unknown> & { asyncapi: '3.0.0' };

/** A channel, message or operation id: AsyncAPI keys allow letters, digits, `_ - .` only. */
const idOf = (name: string): string => name.replace(/[^A-Za-z0-9_.-]/g, '_');
/** A JSON pointer segment. */
const pointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** The broker as an AsyncAPI server: no credentials, vhost as pathname. */
function serverOf(url: string): { server: Record<string, unknown>; vhost: string } {
  const parsed = new URL(url);
  const protocol = parsed.protocol.replace(/:$/, '');
  const port = parsed.port || (protocol === 'amqps' ? '5671' : '5672');
  const vhost = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '/';
  return { server: { host: `${parsed.hostname}:${port}`, protocol, pathname: `/${encodeURIComponent(vhost)}` }, vhost };
}

/**
 * The CloudEvent in structured mode (docs/wire-format.md §1), which is the message body; `data`
 * is the event's DTO schema when there is one.
 */
function cloudEventSchema(type: string, data: JsonSchema): JsonSchema {
  const text = { type: 'string', minLength: 1 };
  return {
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data', 'correlationid', 'eventversion', 'schemaversion'],
    properties: {
      specversion: { const: '1.0' },
      id: text,
      source: text,
      type: { const: type },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { const: 'application/json' },
      data,
      correlationid: text,
      causationid: text,
      partitionkey: text,
      eventversion: text,
      schemaversion: text,
      traceparent: { type: 'string', description: 'W3C trace context of the publish (CloudEvents distributed-tracing extension)' },
      tracestate: { type: 'string' },
    },
  };
}

/** AMQP properties and headers of a message this library publishes. */
const MESSAGE_HEADERS: JsonSchema = {
  type: 'object',
  properties: {
    traceparent: { type: 'string', description: 'W3C trace context of the span that sent this copy; present while tracing' },
    tracestate: { type: 'string' },
    'x-retry-count': { type: 'integer', description: 'Retries already made (retried and dead-lettered copies)' },
    'x-retry-history': { type: 'string', description: 'JSON array of failed attempts' },
  },
};

/**
 * Builds the AsyncAPI 3.0 document of one service: a channel per event type (address = routing
 * key on the events exchange) with a `send` operation for each type it publishes, a channel per
 * handler queue with a `receive` operation, one message per type whose payload is the CloudEvent
 * with the DTO's JSON Schema as `data`, and AMQP bindings (exchange, queue, routing key).
 */
export function buildAsyncApiDocument(input: AsyncApiInput): AsyncApiDocument {
  const { options, exchange } = input;
  const { server, vhost } = serverOf(input.brokerUrl);
  const publishes = [...new Set(options.publishes ?? [])];
  const types = [...new Set([...publishes, ...input.handlers.map((h) => h.type)])].sort();
  const schemaOf = (type: string, handler?: DocumentedHandler) =>
    handler?.schema ?? (Object.hasOwn(input.schemas, type) ? input.schemas[type] : undefined);
  const dtos = [...new Set(types.flatMap((t) => [schemaOf(t), ...input.handlers.filter((h) => h.type === t).map((h) => h.schema)]))];
  const components = dtoSchemas(dtos.filter((d): d is ClassConstructor => d !== undefined));

  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const messageRef = (channelId: string, messageId: string) => ({
    $ref: `#/channels/${pointer(channelId)}/messages/${pointer(messageId)}`,
  });

  const messageOf = (type: string, dto: ClassConstructor | undefined): string => {
    const id = idOf(dto && dto !== schemaOf(type) ? `${type}.${dto.name}` : type);
    messages[id] ??= {
      name: type,
      title: type,
      contentType: CLOUDEVENTS_CONTENT_TYPE,
      correlationId: { location: '$message.payload#/correlationid' },
      headers: MESSAGE_HEADERS,
      payload: cloudEventSchema(type, dto ? { $ref: `${SCHEMA_POINTER_PREFIX}${pointer(dto.name)}` } : {}),
    };
    return id;
  };

  for (const type of types) {
    const channelId = idOf(type);
    const messageId = messageOf(type, schemaOf(type));
    channels[channelId] = {
      address: type,
      title: type,
      messages: { [messageId]: { $ref: `#/components/messages/${pointer(messageId)}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: exchange, type: 'topic', durable: true, autoDelete: false, vhost },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    if (publishes.includes(type)) {
      operations[idOf(`send.${type}`)] = {
        action: 'send',
        summary: `${input.serviceName} publishes ${type}`,
        channel: { $ref: `#/channels/${pointer(channelId)}` },
        messages: [messageRef(channelId, messageId)],
        bindings: { amqp: { deliveryMode: 2, timestamp: true, bindingVersion: AMQP_BINDING_VERSION } },
      };
    }
  }

  for (const handler of input.handlers) {
    const channelId = idOf(`queue.${handler.queue}`);
    const messageId = messageOf(handler.type, schemaOf(handler.type, handler));
    channels[channelId] = {
      address: handler.queue,
      title: `${handler.queue} (${handler.durable ? 'durable' : 'private per instance'})`,
      description:
        `Bound to ${exchange} with routing key ${handler.type}. Failed attempts are retried through ` +
        `${handler.queue}.retry.<delay> wait queues, then dead-lettered via ${input.deadLetterExchange} to ${handler.queue}.dlq.`,
      messages: { [messageId]: { $ref: `#/components/messages/${pointer(messageId)}` } },
      bindings: {
        amqp: {
          is: 'queue',
          queue: { name: handler.queue, durable: handler.durable, exclusive: !handler.durable, autoDelete: !handler.durable, vhost },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[idOf(`receive.${handler.queue}`)] = {
      action: 'receive',
      summary: `${handler.handlerName} handles ${handler.type}`,
      channel: { $ref: `#/channels/${pointer(channelId)}` },
      messages: [messageRef(channelId, messageId)],
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }

  const info: Record<string, unknown> = { title: options.title ?? `${input.serviceName} events`, version: options.version ?? '1.0.0' };
  if (options.description) info.description = options.description;
  return {
    asyncapi: '3.0.0',
    info,
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    servers: { rabbitmq: server },
    channels,
    operations,
    components: { messages, schemas: components },
  };
}
