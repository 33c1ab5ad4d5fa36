import type { NestInterceptor, Type } from '@nestjs/common';
import type { ConnectionOptions } from 'node:tls';
import type { ClassConstructor, RetryPolicyOptions } from './subscribe-options.interface';
import type { EventBusRedisClusterOptions, EventBusRedisSentinelOptions } from './redis-ha-options.interface';

/** RabbitMQ part of the module options. */
export interface EventBusRabbitMqOptions extends RetryPolicyOptions {
  /** `amqp://` or `amqps://` URL, credentials included; never logged unredacted. Required unless `urls` is given. */
  url?: string;
  /**
   * Instead of `url`: the URLs of several nodes of one RabbitMQ cluster. The bus connects to
   * the first that answers, in list order, and after losing a node moves on to the next.
   */
  urls?: string[];
  /** Durable topic exchange events are published to; routing key = event type. */
  exchange: string;
  /** Durable direct exchange that routes dead letters to `<queue>.dlq`. */
  deadLetterExchange: string;
  /** Unacked messages per consumer, which is also how many of its handlers run at once. Default 200 (see docs/benchmarks-prefetch.md). */
  prefetch?: number;
  /** Queue type of durable queues. Default `'classic'`; `'quorum'` for clustered RabbitMQ. */
  queueType?: 'classic' | 'quorum';
  /**
   * AMQP properties of published events. `'mirrored'` (default): `messageId`, `correlationId`,
   * `type`, `appId` and `timestamp` repeat the CloudEvent's attributes for consumers that read
   * only properties. `'minimal'`: only `contentType` and the delivery mode; the CloudEvent body
   * alone carries the attributes, which saves the broker decoding five properties per message
   * (docs/wire-format.md §2.1). Every version of this library reads both.
   */
  messageProperties?: 'mirrored' | 'minimal';
  /** TLS options for `amqps://` (CA, client certificate, ...), passed to the socket. */
  tls?: ConnectionOptions;
  /** Longest wait, in ms, for a publish to be confirmed, outages included. Default 30000. */
  publishTimeout?: number;
  /** Most publishes waiting for a confirm at once, outages included; beyond it `publish()` rejects. Default 10000. */
  maxPendingPublishes?: number;
  /** Wait for the broker while the application starts (fail startup after `connectTimeout`). Default `true`. */
  waitForConnection?: boolean;
  /** Milliseconds to wait for the first connection at startup. Default 10000. */
  connectTimeout?: number;
  /** AMQP heartbeat in seconds; also the reconnect interval. Default 5. */
  heartbeat?: number;
  /**
   * Deliveries of one message a quorum queue allows (`x-delivery-limit`). When a message comes
   * back this often without having been settled (its consumer crashed or lost its connection),
   * the bus dead-letters it with its failure headers instead of letting the broker drop it
   * bare into the DLQ. Only for `queueType: 'quorum'`. Default 20.
   */
  deliveryLimit?: number;
}

/**
 * Redis part of the module options. Exactly one of `url` (one server), `sentinel` (Redis
 * Sentinel) and `cluster` (Redis Cluster) says where Redis is.
 */
export interface EventBusRedisOptions {
  /** `redis://` or `rediss://` URL of one server; never logged unredacted. */
  url?: string;
  /** Redis Sentinel instead of `url`: the sentinels and the master group name. */
  sentinel?: EventBusRedisSentinelOptions;
  /** Redis Cluster instead of `url`: seed nodes; cache keys get hash tags (docs/redis-ha.md). */
  cluster?: EventBusRedisClusterOptions;
  /** Prefix of every key the library writes. Default `'events:'`. */
  keyPrefix?: string;
  /** Seconds the latest-state cache and the idempotency ledger keep an entry. Default 86400. */
  eventTTL?: number;
  /** TLS options for `rediss://` (CA, client certificate, ...); with `sentinel` for the master, with `cluster` for every node. */
  tls?: ConnectionOptions;
  /** Milliseconds to wait for Redis at startup. Default 10000. */
  connectTimeout?: number;
  /**
   * Milliseconds a handler holds its event's processing lease. If the process dies mid-handler,
   * a redelivery may run the event once the lease is over. Keep it above your slowest handler. Default 60000.
   */
  leaseTimeout?: number;
}

/** Raised when a dead-letter queue reaches its threshold. */
export interface DeadLetterAlert {
  /** The handler's queue. */
  queue: string;
  /** Its dead-letter queue. */
  deadLetterQueue: string;
  /** Dead letters waiting when the threshold was crossed. */
  depth: number;
  threshold: number;
  /** ISO-8601 time of the check that crossed it. */
  at: string;
}

/** Queue health and alerting. */
export interface EventBusMonitoringOptions {
  /** Alert when a dead-letter queue holds at least this many messages; per handler with `deadLetterThreshold`. Off by default. */
  deadLetterThreshold?: number;
  /** Called once each time a dead-letter queue crosses its threshold (again only after it fell below). */
  onDeadLetterThreshold?: (alert: DeadLetterAlert) => void | Promise<void>;
  /** Milliseconds between dead-letter depth checks (they also run right after each local dead-lettering). Default 30000. */
  checkInterval?: number;
}

/** Options of `EventBusModule.forRoot()` / `forRootAsync()`. */
export interface EventBusOptions {
  /** Names this service's queues and stamps `source` on its events. Letters, digits, `. _ -`. */
  serviceName: string;
  /** RabbitMQ connection, exchanges and retry defaults. */
  rabbitmq: EventBusRabbitMqOptions;
  /**
   * Redis connection and key policy. Leave it out to run without Redis: retries and dead
   * letters work as ever, but there is no idempotency ledger (handlers default to
   * `idempotent: false`) and no latest-event cache; asking for either fails with
   * `RedisNotConfiguredError`.
   */
  redis?: EventBusRedisOptions;
  /** Event type -> class-validator DTO, checked on publish and on consume. */
  schemas?: Record<string, ClassConstructor>;
  /** Nest interceptors run around every event handler. */
  interceptors?: Type<NestInterceptor>[];
  /**
   * Run the application's global pipes (`app.useGlobalPipes()`, `APP_PIPE`) on the decorated
   * parameters of `@OnEvent` handlers (`@EventPayload()`, ...), as on HTTP routes. Default
   * `false`: HTTP-minded global pipes do not touch events unless asked.
   */
  useGlobalPipes?: boolean;
  /** Milliseconds `app.close()` waits for in-flight handlers and publishes. Default 10000. */
  shutdownTimeout?: number;
  /** Largest accepted message body in bytes, on publish and on consume. Default 1 MiB. */
  maxMessageBytes?: number;
  /** Dead-letter alerting. */
  monitoring?: EventBusMonitoringOptions;
}
