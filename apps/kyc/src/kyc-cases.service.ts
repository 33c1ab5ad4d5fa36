import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Pool, PoolClient } from 'pg';
import { SAMPLE_PG_POOL, serviceSchema } from '../../shared/src/sample-postgres.module';

/** A KYC (know-your-customer) case. */
export interface KycCase {
  caseId: string;
  userId: string;
  status: 'PENDING_DOCUMENTS';
  correlationId: string;
  openedAt: string;
}

/** KYC cases, one per user, in the service's PostgreSQL schema. */
@Injectable()
export class KycCasesService implements OnModuleInit {
  private readonly schema: string;
  private readonly table: string;

  constructor(
    @Inject(SAMPLE_PG_POOL) private readonly pool: Pool,
    config: ConfigService,
  ) {
    this.schema = `"${serviceSchema(config.get('SERVICE_NAME') ?? 'kyc')}"`;
    this.table = `${this.schema}.kyc_cases`;
  }

  /** A sample creates its table itself; a real service would ship a migration. */
  async onModuleInit(): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (user_id text PRIMARY KEY, case_id text NOT NULL, status text NOT NULL, correlation_id text NOT NULL, opened_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  /** Records a case in the caller's transaction (the inbox transaction of the handler). */
  async save(tx: PoolClient, kycCase: Omit<KycCase, 'openedAt'>): Promise<void> {
    await tx.query(`INSERT INTO ${this.table} (user_id, case_id, status, correlation_id) VALUES ($1, $2, $3, $4)`, [
      kycCase.userId,
      kycCase.caseId,
      kycCase.status,
      kycCase.correlationId,
    ]);
  }

  async find(userId: string): Promise<KycCase | null> {
    const { rows } = await this.pool.query(
      `SELECT user_id, case_id, status, correlation_id, opened_at FROM ${this.table} WHERE user_id = $1`,
      [userId],
    );
    if (rows.length === 0) return null;
    const row = rows[0] as { user_id: string; case_id: string; status: 'PENDING_DOCUMENTS'; correlation_id: string; opened_at: Date };
    return {
      caseId: row.case_id,
      userId: row.user_id,
      status: row.status,
      correlationId: row.correlation_id,
      openedAt: row.opened_at.toISOString(),
    };
  }
}
