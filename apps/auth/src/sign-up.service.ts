import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from 'nestjs-event-bus';
import { Outbox } from 'nestjs-event-bus/postgres';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { SAMPLE_PG_POOL } from '../../shared/src/sample-postgres.module';
import type { CreateUserDto, UserCreated } from './create-user.dto';
import { UsersRepository } from './users.repository';

/**
 * Signs a user up: the user row and USER_CREATED are written in one transaction (the outbox),
 * so there is never a user without its event, or an event without its user, whatever crashes
 * when. The outbox relay sends the event once the transaction has committed.
 */
@Injectable()
export class SignUpService {
  constructor(
    @Inject(SAMPLE_PG_POOL) private readonly pool: Pool,
    private readonly users: UsersRepository,
    private readonly outbox: Outbox,
  ) {}

  async signUp(body: CreateUserDto): Promise<EventEnvelope<UserCreated>> {
    const user = { userId: randomUUID(), email: body.email, role: body.role };
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await this.users.insert(client, user);
      const event = await this.outbox.add<UserCreated>(client, { type: 'USER_CREATED', key: user.userId, data: user });
      await client.query('COMMIT');
      return event;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
}
