import { Injectable } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import type { InboundEvent } from '../consuming/consume-interceptor.interface';
import { readDeadLetter } from '../dead-letters/dead-letter-reader';
import type { DeadLetter } from '../dead-letters/dead-letter.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { ConsumeOutcome } from '../stats/consume-outcome';
import { isDeadLetterQueue } from '../topology/queue-naming';
import { InMemoryBroker } from './in-memory-broker';

/** A handler call that succeeded. */
export interface HandledRecord {
  event: EventEnvelope;
  queue: string;
  attempt: number;
}

/** A dead letter, as `DeadLetterService.list()` would show it, plus its queue. */
export interface DeadLetteredRecord extends DeadLetter {
  deadLetterQueue: string;
}

/** What `waitFor` waits for. */
export type HarnessRecordKind = 'published' | 'handled' | 'dead-lettered';

/** Records of the in-memory bus, in order. */
interface Records {
  published: EventEnvelope[];
  handled: HandledRecord[];
  deadLettered: DeadLetteredRecord[];
  duplicates: HandledRecord[];
}

/**
 * What happened on the in-memory bus, in the style of MassTransit's test harness: every
 * published event, every successful handler call, every dead letter, and promises that
 * resolve when the ones you expect have happened.
 *
 * ```ts
 * await bus.publish({ type: 'USER_CREATED', data });
 * const [handled] = await harness.waitFor('USER_CREATED');            // handled
 * const [dead] = await harness.waitFor('DOCUMENT_UPLOADED', { kind: 'dead-lettered' });
 * ```
 */
@Injectable()
export class EventBusTestHarness {
  private readonly records: Records = { published: [], handled: [], deadLettered: [], duplicates: [] };
  private readonly waiters = new Set<() => void>();

  constructor(private readonly broker: InMemoryBroker) {
    broker.observe((queue, message) => this.onEnqueued(queue, message));
  }

  /** Events published (and "confirmed"), in order. */
  get published(): readonly EventEnvelope[] {
    return this.records.published;
  }

  /** Successful handler calls, in order. */
  get handled(): readonly HandledRecord[] {
    return this.records.handled;
  }

  /** Dead letters, in order, with their failure headers read out. */
  get deadLettered(): readonly DeadLetteredRecord[] {
    return this.records.deadLettered;
  }

  /** Deliveries acked as duplicates without calling the handler. */
  get duplicates(): readonly HandledRecord[] {
    return this.records.duplicates;
  }

  /**
   * Resolves with the records of `type` once at least `count` exist (default: 1 handled).
   * Rejects after `timeoutMs` (default 5000) naming what it waited for and what it saw.
   */
  waitFor(type: string, options: { kind?: 'handled'; count?: number; timeoutMs?: number }): Promise<HandledRecord[]>;
  waitFor(type: string, options: { kind: 'published'; count?: number; timeoutMs?: number }): Promise<EventEnvelope[]>;
  waitFor(type: string, options: { kind: 'dead-lettered'; count?: number; timeoutMs?: number }): Promise<DeadLetteredRecord[]>;
  waitFor(type: string): Promise<HandledRecord[]>;
  waitFor(type: string, options: { kind?: HarnessRecordKind; count?: number; timeoutMs?: number } = {}): Promise<unknown[]> {
    const { kind = 'handled', count = 1, timeoutMs = 5_000 } = options;
    const matching = () => this.matching(kind, type);
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = matching();
        if (found.length < count) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Waited ${timeoutMs} ms for ${count} ${kind} ${type} event(s); saw ${matching().length} (${this.summary()})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves when no message is waiting or being handled anywhere. */
  idle(): Promise<void> {
    return this.broker.idle();
  }

  /** Forgets every record (queues and the ledger keep their state). */
  reset(): void {
    for (const list of Object.values(this.records)) (list as unknown[]).length = 0;
  }

  /** Called by the in-memory consumers for each outcome. */
  recordOutcome(outcome: ConsumeOutcome, event: InboundEvent): void {
    if ((outcome !== 'handled' && outcome !== 'duplicate') || !event.envelope) return;
    const record = { event: event.envelope, queue: event.subscription.queue, attempt: event.context.attempt };
    (outcome === 'handled' ? this.records.handled : this.records.duplicates).push(record);
    this.notify();
  }

  /** Called by the in-memory transport for each event published to the events exchange. */
  recordPublished(envelope: EventEnvelope): void {
    this.records.published.push(envelope);
    this.notify();
  }

  private onEnqueued(queue: string, message: ConsumeMessage): void {
    if (!isDeadLetterQueue(queue)) return;
    this.records.deadLettered.push({ ...readDeadLetter(message, queue), deadLetterQueue: queue });
    this.notify();
  }

  private matching(kind: HarnessRecordKind, type: string): unknown[] {
    if (kind === 'published') return this.records.published.filter((e) => e.type === type);
    if (kind === 'dead-lettered') return this.records.deadLettered.filter((d) => d.type === type);
    return this.records.handled.filter((h) => h.event.type === type);
  }

  private summary(): string {
    const r = this.records;
    return `${r.published.length} published, ${r.handled.length} handled, ${r.deadLettered.length} dead-lettered in all`;
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
