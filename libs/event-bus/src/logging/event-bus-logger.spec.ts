import { Logger, type LoggerService } from '@nestjs/common';
import { EventBusLogger } from './event-bus-logger';

/** Records what an application-supplied logger is called with. */
function recordingLogger(): LoggerService & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const record = (...args: unknown[]) => void calls.push(args);
  return { calls, log: record, error: record, warn: record, debug: record, verbose: record };
}

describe('EventBusLogger', () => {
  afterEach(() => Logger.overrideLogger(true));

  it('hands an application logger the message and the context, never an undefined stack', () => {
    const app = recordingLogger();
    Logger.overrideLogger(app);
    const logger = new EventBusLogger('EventBus:Consumer', []);
    logger.error('Event dead-lettered', { error: 'boom', queue: 'q' });
    logger.warn('Redis unreachable');
    expect(app.calls).toEqual([
      ['Event dead-lettered {"error":"boom","queue":"q"}', 'EventBus:Consumer'],
      ['Redis unreachable', 'EventBus:Consumer'],
    ]);
    expect(app.calls.flat()).not.toContain(undefined);
  });

  it('masks secrets and URL passwords in every line', () => {
    const app = recordingLogger();
    Logger.overrideLogger(app);
    new EventBusLogger('EventBus', ['s3cret-token']).warn('cannot reach amqp://guest:hunter2@host:5672 with s3cret-token');
    expect(app.calls).toEqual([['cannot reach amqp://guest:***@host:5672 with ***', 'EventBus']]);
  });
});
