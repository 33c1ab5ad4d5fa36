import type { NestInterceptor, Type } from '@nestjs/common';
import type { ConnectionOptions } from 'node:tls';
import type { DeadLetterAlert, EventBusOptions } from '../interfaces/event-bus-options.interface';
import type { ClassConstructor } from '../interfaces/subscribe-options.interface';
import { brokerUrlsOf } from './broker-urls.check';
import { resolveCluster, resolveSentinel, type RedisTarget } from './redis-topology';

/** Module options after validation, with every default filled in. */
export interface ResolvedEventBusOptions {
  serviceName: string;
  rabbitmq: {
    /** The first of `urls` (where documents and messages name one broker). */
    url: string;
    /** Node URLs, tried in order (one entry unless `rabbitmq.urls` listed several). */
    urls: string[];
    exchange: string;
    deadLetterExchange: string;
    retryCount: number;
    retryDelay: number;
    retryBackoff: 'fixed' | 'exponential';
    prefetch: number;
    queueType: 'classic' | 'quorum';
    messageProperties: 'mirrored' | 'minimal';
    tls?: ConnectionOptions;
    publishTimeout: number;
    maxPendingPublishes: number;
    waitForConnection: boolean;
    connectTimeout: number;
    heartbeat: number;
    deliveryLimit: number;
  };
  /** Absent when the bus runs without Redis. */
  redis?: RedisTarget & { keyPrefix: string; eventTTL: number; tls?: ConnectionOptions; connectTimeout: number; leaseTimeout: number };
  schemas: Record<string, ClassConstructor>;
  interceptors: Type<NestInterceptor>[];
  /** Whether the application's global pipes apply to decorated handler parameters. */
  useGlobalPipes: boolean;
  shutdownTimeout: number;
  maxMessageBytes: number;
  monitoring: {
    deadLetterThreshold?: number;
    onDeadLetterThreshold?: (alert: DeadLetterAlert) => void | Promise<void>;
    checkInterval: number;
  };
  /** Strings to scrub from every log line and error (passwords of the URLs). */
  secrets: string[];
}

/** Defaults of the optional fields, documented in the README's configuration reference. */
export const OPTION_DEFAULTS = {
  retryCount: 3,
  retryDelay: 1000,
  retryBackoff: 'fixed',
  prefetch: 200,
  queueType: 'classic',
  messageProperties: 'mirrored',
  publishTimeout: 30_000,
  maxPendingPublishes: 10_000,
  waitForConnection: true,
  connectTimeout: 10_000,
  heartbeat: 5,
  deliveryLimit: 20,
  keyPrefix: 'events:',
  eventTTL: 86_400,
  leaseTimeout: 60_000,
  shutdownTimeout: 10_000,
  maxMessageBytes: 1024 * 1024,
  checkInterval: 30_000,
} as const;

/** Fills in defaults; call only on options that passed `validateEventBusOptions`. */
export function resolveOptions(options: EventBusOptions, secrets: string[]): ResolvedEventBusOptions {
  const d = OPTION_DEFAULTS;
  const r = options.rabbitmq;
  return {
    serviceName: options.serviceName,
    rabbitmq: {
      url: brokerUrlsOf(r)[0],
      urls: brokerUrlsOf(r),
      exchange: r.exchange,
      deadLetterExchange: r.deadLetterExchange,
      retryCount: r.retryCount ?? d.retryCount,
      retryDelay: r.retryDelay ?? d.retryDelay,
      retryBackoff: r.retryBackoff ?? d.retryBackoff,
      prefetch: r.prefetch ?? d.prefetch,
      queueType: r.queueType ?? d.queueType,
      messageProperties: r.messageProperties ?? d.messageProperties,
      tls: r.tls,
      publishTimeout: r.publishTimeout ?? d.publishTimeout,
      maxPendingPublishes: r.maxPendingPublishes ?? d.maxPendingPublishes,
      waitForConnection: r.waitForConnection ?? d.waitForConnection,
      connectTimeout: r.connectTimeout ?? d.connectTimeout,
      heartbeat: r.heartbeat ?? d.heartbeat,
      deliveryLimit: r.deliveryLimit ?? d.deliveryLimit,
    },
    redis: options.redis && {
      url: options.redis.url,
      sentinel: options.redis.sentinel && resolveSentinel(options.redis.sentinel),
      cluster: options.redis.cluster && resolveCluster(options.redis.cluster),
      keyPrefix: options.redis.keyPrefix ?? d.keyPrefix,
      eventTTL: options.redis.eventTTL ?? d.eventTTL,
      tls: options.redis.tls,
      connectTimeout: options.redis.connectTimeout ?? d.connectTimeout,
      leaseTimeout: options.redis.leaseTimeout ?? d.leaseTimeout,
    },
    schemas: { ...(options.schemas ?? {}) },
    interceptors: [...(options.interceptors ?? [])],
    useGlobalPipes: options.useGlobalPipes ?? false,
    shutdownTimeout: options.shutdownTimeout ?? d.shutdownTimeout,
    maxMessageBytes: options.maxMessageBytes ?? d.maxMessageBytes,
    monitoring: {
      deadLetterThreshold: options.monitoring?.deadLetterThreshold,
      onDeadLetterThreshold: options.monitoring?.onDeadLetterThreshold,
      checkInterval: options.monitoring?.checkInterval ?? d.checkInterval,
    },
    secrets,
  };
}
