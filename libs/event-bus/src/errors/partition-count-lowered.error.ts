/**
 * An `ordered: 'byKey'` subscription asks for fewer partitions than its queue already has. The
 * extra partition queues would stay bound and keep receiving events nobody consumes, so the
 * library refuses instead of guessing.
 */
export class PartitionCountLoweredError extends Error {
  constructor(
    /** The subscription's queue. */
    readonly queue: string,
    /** `partitions` as configured now. */
    readonly partitions: number,
    /** A partition queue at or past that count that exists on the broker. */
    readonly existingQueue: string,
  ) {
    super(
      `Subscription ${queue} is configured with partitions: ${partitions}, but partition queue ${existingQueue} exists: ` +
        'the partition count of a queue can only grow. Keep the count, or drain the queue and delete its ' +
        `partition queues (${queue}.p*) and its exchanges (${queue}.by-key, ${queue}.unkeyed) first.`,
    );
    this.name = 'PartitionCountLoweredError';
  }
}
