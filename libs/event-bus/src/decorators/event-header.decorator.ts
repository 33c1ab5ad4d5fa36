import { dataAndPipes, EventParamtype, recordEventParam, type EventParamPipe } from './event-param.metadata';

/**
 * Parameter decorator of `@OnEvent` methods: the AMQP header `name` of the delivery, exactly
 * as the broker delivered it (string, number, boolean, `Buffer` for byte arrays, ...;
 * `undefined` when absent; names match exactly, AMQP header names are case-sensitive).
 * Without a name: every header, as an object (`{}` when the message has none). Events this
 * library publishes carry no headers; retried ones carry `x-retry-count`/`x-retry-history`,
 * foreign and binary-mode CloudEvents messages their own (docs/wire-format.md).
 *
 * @example
 * onEvent(@EventHeader('x-tenant') tenant: string | undefined) { ... }
 */
export function EventHeader(name?: string, ...pipes: EventParamPipe[]): ParameterDecorator;
export function EventHeader(...pipes: EventParamPipe[]): ParameterDecorator;
export function EventHeader(nameOrPipe?: string | EventParamPipe, ...pipes: EventParamPipe[]): ParameterDecorator {
  const [name, allPipes] = dataAndPipes(nameOrPipe, pipes);
  if (name === '') throw new Error('@EventHeader(""): give a header name, or no argument for all headers');
  return (target, key, index) => recordEventParam(target, key, index, EventParamtype.HEADER, name, allPipes);
}
