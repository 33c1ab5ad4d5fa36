import { dataAndPipes, EventParamtype, recordEventParam, type EventParamPipe } from './event-param.metadata';
import { parsePayloadPath } from './payload-path';

/**
 * Parameter decorator of `@OnEvent` methods: the event's `data`, or with a property path the
 * value at that path (`'user.email'`, `'items.0.sku'`; a missing step yields `undefined`).
 * Pipes given here, on the method or class (`@UsePipes`), and the application's global pipes
 * when the module option `useGlobalPipes` is set, transform it; a pipe that throws an
 * `HttpException` with a 4xx status dead-letters the event without retries.
 *
 * @example
 * @OnEvent('USER_CREATED')
 * @UsePipes(new ValidationPipe({ transform: true }))
 * onUser(@EventPayload() user: UserCreatedDto, @EventPayload('age', ParseIntPipe) age: number) { ... }
 */
export function EventPayload(path?: string, ...pipes: EventParamPipe[]): ParameterDecorator;
export function EventPayload(...pipes: EventParamPipe[]): ParameterDecorator;
export function EventPayload(pathOrPipe?: string | EventParamPipe, ...pipes: EventParamPipe[]): ParameterDecorator {
  const [path, allPipes] = dataAndPipes(pathOrPipe, pipes);
  if (path !== undefined) parsePayloadPath(path);
  return (target, key, index) => recordEventParam(target, key, index, EventParamtype.PAYLOAD, path, allPipes);
}
