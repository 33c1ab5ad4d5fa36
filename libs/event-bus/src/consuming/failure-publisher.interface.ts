import type { Options } from 'amqplib';

/** Sends a message and resolves on the broker's confirm; how retry and dead-letter stages re-route. */
export type ConfirmedSend = (exchange: string, routingKey: string, body: Buffer, properties: Options.Publish) => Promise<void>;
