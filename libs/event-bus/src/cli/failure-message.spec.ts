import { BrokerConnectionError } from '../errors/broker-connection.error';
import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { RedisConnectionError } from '../errors/redis-connection.error';
import { DlqUsageError } from './dlq-usage-error';
import { describeFailure } from './failure-message';

describe('describeFailure', () => {
  it('passes a usage error through with exit code 2', () => {
    expect(describeFailure(new DlqUsageError("unknown command 'x'; usage: ..."))).toEqual({
      message: "unknown command 'x'; usage: ...",
      exitCode: 2,
    });
  });

  it('names RABBITMQ_URL, masked, when the broker cannot be reached', () => {
    const error = new BrokerConnectionError('amqp://app:***@rabbit:5672', 10_000, 'connect ECONNREFUSED 10.0.0.1:5672');
    expect(describeFailure(error)).toEqual({
      message: 'cannot reach RabbitMQ at amqp://app:***@rabbit:5672 (set RABBITMQ_URL): connect ECONNREFUSED 10.0.0.1:5672',
      exitCode: 1,
    });
  });

  it('names REDIS_URL when Redis cannot be used', () => {
    const error = new RedisConnectionError('redis://:***@cache:6379', 10_000, 'WRONGPASS invalid username-password pair');
    expect(describeFailure(error).message).toBe(
      'cannot use Redis at redis://:***@cache:6379 (set REDIS_URL): WRONGPASS invalid username-password pair',
    );
  });

  it('names the variable behind each invalid module option, on one line', () => {
    const error = new InvalidEventBusOptionsError(['rabbitmq.url: must be an amqp:// URL', 'schemas.X: must be a class']);
    expect(describeFailure(error)).toEqual({
      message: 'invalid settings: RABBITMQ_URL (rabbitmq.url): must be an amqp:// URL; schemas.X: must be a class',
      exitCode: 1,
    });
  });

  it('says which queue does not exist', () => {
    const error = Object.assign(
      new Error(`Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'svc.T.dlq' in vhost '/'"`),
      {
        code: 404,
      },
    );
    expect(describeFailure(error).message).toBe('queue svc.T.dlq does not exist (check the queue name, and the vhost in RABBITMQ_URL)');
  });

  it('prints any other error as one line, without a stack, with passwords masked', () => {
    const error = new TypeError('failed talking to amqp://app:s3cret@rabbit:5672\n  second line');
    const failure = describeFailure(error);
    expect(failure).toEqual({ message: 'TypeError: failed talking to amqp://app:***@rabbit:5672 second line', exitCode: 1 });
    expect(failure.message).not.toContain('at ');
  });

  it('masks the given secrets wherever they appear', () => {
    expect(describeFailure(new Error('auth with hunter22 failed'), ['hunter22']).message).toBe('auth with *** failed');
  });

  it('describes something thrown that is not an Error', () => {
    expect(describeFailure('boom')).toEqual({ message: 'boom', exitCode: 1 });
  });
});
