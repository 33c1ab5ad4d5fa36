import type { PgClientLike } from './pg-executor';

/** A client checked out of a `pg` `Pool`. */
export interface PooledPgClient extends PgClientLike {
  release(err?: Error | boolean): void;
  /** `pg` clients are event emitters; structural pools may leave these out. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  removeListener?(event: 'error', listener: (err: Error) => void): unknown;
}

/** What `inPoolTransaction` needs of a `pg` `Pool`. */
export interface PooledPgPool {
  connect(): Promise<PooledPgClient>;
}

/**
 * Runs `work` in BEGIN ... COMMIT on a client of `pool`; ROLLBACK on failure. While the client is
 * held, a connection error it emits (the database restarting, say) is caught: `pg` emits those on
 * the client, and the pool only listens while the client is idle, so an unheld error would crash
 * the process. A client that failed that way, or whose ROLLBACK failed, is destroyed rather than
 * pooled.
 */
export async function inPoolTransaction<T>(pool: PooledPgPool, work: (client: PooledPgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on?.('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => (broken ??= rollbackError));
    throw error;
  } finally {
    client.removeListener?.('error', onError);
    client.release(broken);
  }
}
