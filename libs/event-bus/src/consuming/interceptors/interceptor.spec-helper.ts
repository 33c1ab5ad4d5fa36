import type { Options } from 'amqplib';
import type { EventBusLogger } from '../../logging/event-bus-logger';

/** Fixed "now" of the interceptor specs. */
export const NOW = new Date('2024-05-01T12:00:00.000Z');

/** Body of the event the interceptor specs deliver. */
export const BODY = Buffer.from('{"specversion":"1.0","id":"evt-1","type":"USER_CREATED","data":{"name":"Ada"}}');

/** One call of the fake ConfirmedSend. */
export interface SentCall {
  exchange: string;
  routingKey: string;
  body: Buffer;
  properties: Options.Publish;
}

/** A ConfirmedSend that records its calls; `state.failWith` makes it reject. */
export function fakeSend() {
  const calls: SentCall[] = [];
  const state: { failWith?: Error } = {};
  const send = async (exchange: string, routingKey: string, body: Buffer, properties: Options.Publish): Promise<void> => {
    calls.push({ exchange, routingKey, body, properties });
    if (state.failWith) throw state.failWith;
  };
  return { send, calls, state };
}

/** A logger whose methods are jest mocks. */
export function fakeLogger() {
  const logger = { warn: jest.fn(), error: jest.fn(), log: jest.fn(), debug: jest.fn() };
  return { logger, asLogger: logger as unknown as EventBusLogger };
}
