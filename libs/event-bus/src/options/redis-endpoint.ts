/** One Redis server or sentinel to connect to. */
export interface RedisEndpoint {
  readonly host: string;
  readonly port: number;
}

/** A parsed `host:port` or `redis://` / `rediss://` URL. */
export interface ParsedEndpoint extends RedisEndpoint {
  /** `rediss://` was given. */
  readonly tls: boolean;
  /** User and password of a URL (decoded), when it has them. */
  readonly username?: string;
  readonly password?: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function decoded(part: string): string | undefined {
  if (part === '') return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Parses `host:port`, `[ipv6]:port`, bare `host` (then `defaultPort`) or, when `allowUrl`, a
 * `redis://` / `rediss://` URL with optional credentials. Returns a reason instead when the
 * text is none of these; the reason never quotes the text (it may hold a password).
 */
export function parseEndpoint(text: string, defaultPort: number, allowUrl: boolean): ParsedEndpoint | { problem: string } {
  const isUrl = SCHEME.test(text);
  if (isUrl && !allowUrl) return { problem: 'expected host:port, not a URL' };
  let url: URL;
  try {
    url = new URL(isUrl ? text : `redis://${text}`);
  } catch {
    return { problem: isUrl ? 'not a valid URL' : 'expected host:port' };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return { problem: 'expected a redis:// or rediss:// URL or host:port' };
  if (!url.hostname) return { problem: 'has no host' };
  if (url.pathname !== '' && url.pathname !== '/') return { problem: 'must not name a database (a cluster has only database 0)' };
  if (!isUrl && (url.username || url.password)) return { problem: 'expected host:port' };
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return {
    host,
    port: url.port === '' ? defaultPort : Number(url.port),
    tls: url.protocol === 'rediss:',
    username: decoded(url.username),
    password: decoded(url.password),
  };
}

/** `host:port` as logs show an endpoint (IPv6 hosts in brackets). */
export function endpointText({ host, port }: RedisEndpoint): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
