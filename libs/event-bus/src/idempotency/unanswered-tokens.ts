/** Most tokens of unanswered lease requests kept for a retry; beyond it the oldest are forgotten. */
const MAX_UNANSWERED = 10_000;

/**
 * Tokens of lease requests that failed without an answer (Redis went away mid-call), by key.
 * The next request for the key reuses the token: if the first one did take the lease, the
 * script recognises it as ours. Each token is handed out once, so two copies of one event
 * never share it.
 */
export class UnansweredTokens {
  private readonly byKey = new Map<string, string>();

  /** Keeps the token of a request for `key` that got no answer. */
  keep(key: string, token: string): void {
    if (this.byKey.size >= MAX_UNANSWERED) this.byKey.delete(this.byKey.keys().next().value as string);
    this.byKey.set(key, token);
  }

  /** The kept token for `key`, if any, handed out once. */
  take(key: string): string | undefined {
    const token = this.byKey.get(key);
    if (token !== undefined) this.byKey.delete(key);
    return token;
  }
}
