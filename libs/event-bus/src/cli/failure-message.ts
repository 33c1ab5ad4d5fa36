import { BrokerConnectionError } from '../errors/broker-connection.error';
import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { RedisConnectionError } from '../errors/redis-connection.error';
import { redactSecrets } from '../options/redact-url';
import { environmentVariableOf } from './dlq-environment';
import { DlqUsageError } from './dlq-usage-error';

/** A failure as the command reports it: one line for stderr (no stack), and the exit code. */
export interface DlqFailure {
  message: string;
  /** 2 for a wrong command line, 1 for anything that went wrong while running. */
  exitCode: 1 | 2;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** `rabbitmq.url: must be ...` as `RABBITMQ_URL (rabbitmq.url): must be ...`, naming the variable to fix. */
function withVariable(problem: string): string {
  const at = problem.indexOf(': ');
  const variable = at > 0 ? environmentVariableOf(problem.slice(0, at)) : undefined;
  return variable ? `${variable} (${problem.slice(0, at)})${problem.slice(at)}` : problem;
}

function describe(error: unknown): string {
  if (error instanceof DlqUsageError) return error.message;
  if (error instanceof BrokerConnectionError) {
    return `cannot reach RabbitMQ at ${error.redactedUrl} (set RABBITMQ_URL): ${error.causeMessage}`;
  }
  if (error instanceof RedisConnectionError) {
    const variable =
      error.field === 'redis.sentinel' ? 'REDIS_SENTINELS' : error.field === 'redis.cluster' ? 'REDIS_CLUSTER_NODES' : 'REDIS_URL';
    return `cannot use Redis at ${error.redactedUrl} (set ${variable}): ${error.causeMessage}`;
  }
  if (error instanceof InvalidEventBusOptionsError) return `invalid settings: ${error.problems.map(withVariable).join('; ')}`;
  if (!(error instanceof Error)) return String(error);
  const missingQueue = /NOT_FOUND - no queue '([^']*)'/.exec(error.message);
  if (missingQueue) return `queue ${missingQueue[1]} does not exist (check the queue name, and the vhost in RABBITMQ_URL)`;
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message || String(error);
}

/**
 * How the command reports a failure: one line, never a stack trace, with URL passwords and the
 * given `secrets` masked.
 */
export function describeFailure(error: unknown, secrets: readonly string[] = []): DlqFailure {
  return { message: redactSecrets(oneLine(describe(error)), secrets), exitCode: error instanceof DlqUsageError ? 2 : 1 };
}
