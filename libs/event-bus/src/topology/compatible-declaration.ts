import type { Channel } from 'amqplib';
import { QueueArgumentsMismatchError } from '../errors/queue-arguments-mismatch.error';
import { declareQueue } from './topology-declarer';

/** Where compatible declarations run: on channels a refused declaration may close. */
export interface DeclarationChannels {
  /** Opens a fresh channel; it is closed after use. */
  open(): Promise<Channel>;
  /** Told when a queue was kept as an earlier version declared it. */
  warn(message: string): void;
}

/** How a queue may have been declared by earlier versions of the library. */
export interface EarlierDeclarations {
  /** Arguments earlier versions did not declare: dropped when the existing queue lacks them. */
  addedLater: readonly string[];
  /** Whole argument sets for a queue that exists with another `x-queue-type` (e.g. a classic wait queue). */
  earlierType?: Readonly<Record<string, Record<string, unknown>>>;
}

/** The broker's wording of one differing argument (`rabbit_misc:assert_args_equivalence`). */
const INEQUIVALENT = /inequivalent arg '([^']+)'.*?received (.*?) but current is (.*)$/;

/**
 * The next, older set of arguments to try after the broker refused `args` with `difference`,
 * or `undefined` when the difference is not one earlier versions explain (a real mismatch).
 */
export function earlierArguments(
  difference: string,
  args: Readonly<Record<string, unknown>>,
  earlier: EarlierDeclarations,
): Record<string, unknown> | undefined {
  const match = INEQUIVALENT.exec(difference);
  if (!match) return undefined;
  const [, name, , current] = match;
  if (current === 'none' && earlier.addedLater.includes(name) && name in args) {
    const { [name]: _dropped, ...rest } = args;
    return rest;
  }
  if (name === 'x-queue-type') {
    const existingType = /^'([^']+)'$/.exec(current.trim())?.[1];
    const fallback = existingType !== undefined ? earlier.earlierType?.[existingType] : undefined;
    if (fallback && fallback['x-queue-type'] !== args['x-queue-type']) return { ...fallback };
  }
  return undefined;
}

/**
 * Declares `queue` with `options`; when it exists from an earlier version of the library
 * (without arguments added since, or as a classic queue where quorum is now declared), it is
 * declared as it is, the difference told to `channels.warn`, and the start goes on. Upgrading
 * must not stop a service, and a queue is never deleted to "fix" it. Any other difference
 * fails as `declareQueue` does. Resolves with the arguments the queue was declared with.
 * @throws QueueArgumentsMismatchError for a difference earlier versions do not explain
 */
export async function declareQueueCompatibly(
  channels: DeclarationChannels,
  queue: string,
  options: { durable: boolean; exclusive?: boolean; autoDelete?: boolean; arguments: Record<string, unknown> },
  earlier: EarlierDeclarations,
): Promise<Record<string, unknown>> {
  let args = options.arguments;
  // Each refusal removes one argument or switches the type once: the loop ends.
  for (;;) {
    const channel = await channels.open();
    channel.on('error', () => undefined); // a refusal rejects the declaration itself
    try {
      await declareQueue(channel, queue, { ...options, arguments: args });
      if (args !== options.arguments) channels.warn(keptMessage(queue, options.arguments, args));
      return args;
    } catch (err) {
      const older = err instanceof QueueArgumentsMismatchError ? earlierArguments(err.difference, args, earlier) : undefined;
      if (!older) throw err;
      args = older;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

function keptMessage(queue: string, wanted: Record<string, unknown>, kept: Record<string, unknown>): string {
  const missing = Object.keys(wanted).filter((k) => JSON.stringify(wanted[k]) !== JSON.stringify(kept[k]));
  const described = missing.map((k) => `${k}=${JSON.stringify(wanted[k])}`).join(', ');
  return (
    `Queue "${queue}" exists as an earlier version declared it, without ${described}; kept as it is. ` +
    'Until it has them (a policy can add dead-letter-strategy, overflow and delivery-limit to a quorum queue; ' +
    'a queue type only changes by draining and re-creating the queue), dead-lettering from it is at-most-once ' +
    'and its delivery limit is the broker default. See docs/topology.md, "Upgrading quorum queues".'
  );
}
