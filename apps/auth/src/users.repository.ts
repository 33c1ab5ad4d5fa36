import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool, PoolClient } from 'pg';
import { SAMPLE_PG_POOL, serviceSchema } from '../../shared/src/sample-postgres.module';

/** A stored user. */
export interface User {
  userId: string;
  email: string;
  role: string;
  createdAt: string;
}

/** Users, in the service's PostgreSQL schema. */
@Injectable()
export class UsersRepository implements OnModuleInit {
  private readonly schema: string;
  private readonly table: string;

  constructor(
    @Inject(SAMPLE_PG_POOL) private readonly pool: Pool,
    config: ConfigService,
  ) {
    this.schema = `"${serviceSchema(config.get('SERVICE_NAME') ?? 'auth')}"`;
    this.table = `${this.schema}.users`;
  }

  /** A sample creates its table itself; a real service would ship a migration. */
  async onModuleInit(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (user_id text PRIMARY KEY, email text NOT NULL, role text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  /** Inserts a user in the caller's transaction. */
  async insert(tx: PoolClient, user: Omit<User, 'createdAt'>): Promise<void> {
    await tx.query(`INSERT INTO ${this.table} (user_id, email, role) VALUES ($1, $2, $3)`, [user.userId, user.email, user.role]);
  }

  async find(userId: string): Promise<User | null> {
    const { rows } = await this.pool.query(`SELECT user_id, email, role, created_at FROM ${this.table} WHERE user_id = $1`, [userId]);
    if (rows.length === 0) return null;
    const row = rows[0] as { user_id: string; email: string; role: string; created_at: Date };
    return { userId: row.user_id, email: row.email, role: row.role, createdAt: row.created_at.toISOString() };
  }
}
