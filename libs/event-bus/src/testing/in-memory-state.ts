import { Injectable } from '@nestjs/common';
import type { EventCache } from '../cache/event-cache.interface';
import type { EventLedger, Lease, LeaseOutcome } from '../idempotency/event-ledger.interface';
import type { EventEnvelope } from '../interfaces/event-envelope.interface';
import type { EventBusState } from '../state/event-bus-state.interface';

/** The ledger's rules in a Map: a lease, then `done`; a failed attempt releases the lease. */
class InMemoryLedger implements EventLedger {
  private readonly entries = new Map<string, string>();
  private counter = 0;

  async acquire(queue: string, eventKey: string): Promise<{ outcome: LeaseOutcome; lease: Lease }> {
    const lease = { key: `${queue}:${eventKey}`, token: `lease:${++this.counter}` };
    const current = this.entries.get(lease.key);
    if (current === 'done') return { outcome: 'done', lease };
    if (current) return { outcome: 'busy', lease };
    this.entries.set(lease.key, lease.token);
    return { outcome: 'acquired', lease };
  }

  async markDone(lease: Lease): Promise<void> {
    this.entries.set(lease.key, 'done');
  }

  async release(lease: Lease): Promise<void> {
    if (this.entries.get(lease.key) === lease.token) this.entries.delete(lease.key);
  }
}

/** The latest-event cache's rules in a Map: per type and per key, older events never win. */
class InMemoryCache implements EventCache {
  private readonly entries = new Map<string, EventEnvelope>();

  async write(envelope: EventEnvelope): Promise<void> {
    this.put(envelope.type, envelope);
    if (envelope.metadata.key !== undefined) this.put(`${envelope.type}\u0000${envelope.metadata.key}`, envelope);
  }

  async read<T>(type: string, key?: string): Promise<EventEnvelope<T> | null> {
    return (this.entries.get(key === undefined ? type : `${type}\u0000${key}`) as EventEnvelope<T> | undefined) ?? null;
  }

  async readAll(type: string): Promise<EventEnvelope[]> {
    const byId = new Map<string, EventEnvelope>();
    for (const [name, envelope] of this.entries) if (name === type || name.startsWith(`${type}\u0000`)) byId.set(envelope.id, envelope);
    return [...byId.values()].sort((a, b) => a.metadata.timestamp.localeCompare(b.metadata.timestamp));
  }

  private put(name: string, envelope: EventEnvelope): void {
    const current = this.entries.get(name);
    if (!current || current.metadata.timestamp <= envelope.metadata.timestamp) this.entries.set(name, envelope);
  }
}

/** Ledger and cache kept in memory, for the testing module. */
@Injectable()
export class InMemoryState implements EventBusState {
  readonly enabled = true;
  readonly ledger: EventLedger = new InMemoryLedger();
  readonly cache: EventCache = new InMemoryCache();

  isAvailable(): boolean {
    return true;
  }
}
