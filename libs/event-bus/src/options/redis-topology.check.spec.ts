import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { validateEventBusOptions } from '../options/validate-options';

const rabbitmq = { url: 'amqp://localhost', exchange: 'ex', deadLetterExchange: 'dlx' };

function optionsWith(redis: unknown) {
  return { serviceName: 'svc', rabbitmq, redis };
}

function problemsOf(redis: unknown): { fields: string[]; message: string } {
  try {
    validateEventBusOptions(optionsWith(redis));
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventBusOptionsError);
    const e = err as InvalidEventBusOptionsError;
    return { fields: e.fields, message: e.message };
  }
  throw new Error('expected validateEventBusOptions to throw');
}

describe('redis.sentinel and redis.cluster options', () => {
  it('resolves a sentinel group: endpoints parsed, default port 26379, defaults filled in', () => {
    const resolved = validateEventBusOptions(
      optionsWith({ sentinel: { sentinels: ['10.0.0.1:26380', 'sentinel-b', '[::1]:5000'], name: 'main', password: 'm-secret' } }),
    );
    expect(resolved.redis?.url).toBeUndefined();
    expect(resolved.redis?.sentinel).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26380 },
        { host: 'sentinel-b', port: 26379 },
        { host: '::1', port: 5000 },
      ],
      name: 'main',
      password: 'm-secret',
      sentinelTls: false,
      db: 0,
    });
    expect(resolved.secrets).toContain('m-secret');
  });

  it('resolves cluster nodes from URLs and host:port, lifting the credentials of the URLs', () => {
    const resolved = validateEventBusOptions(optionsWith({ cluster: { nodes: ['rediss://app:c%40pw@node-a:7000', 'node-b'] } }));
    expect(resolved.redis?.cluster).toEqual({
      nodes: [
        { host: 'node-a', port: 7000 },
        { host: 'node-b', port: 6379 },
      ],
      username: 'app',
      password: 'c@pw',
      tls: true,
    });
    expect(resolved.secrets).toContain('c@pw');
  });

  it('keeps redis.url as it was', () => {
    const resolved = validateEventBusOptions(optionsWith({ url: 'redis://localhost:6380' }));
    expect(resolved.redis).toMatchObject({ url: 'redis://localhost:6380', sentinel: undefined, cluster: undefined });
  });

  it('wants exactly one of url, sentinel and cluster', () => {
    expect(problemsOf({ keyPrefix: 'x:' }).message).toMatch(/redis\.url: required.*or redis\.sentinel or redis\.cluster instead/);
    const both = problemsOf({ url: 'redis://localhost', cluster: { nodes: ['a:1'] } });
    expect(both.fields).toEqual(['redis.cluster']);
    expect(both.message).toMatch(/give only one of redis\.url, redis\.sentinel and redis\.cluster/);
  });

  it('names every wrong sentinel field', () => {
    const { fields } = problemsOf({ sentinel: { sentinels: ['ok:1', 'redis://a:1', 7], password: 5, db: -1, sentinelTLS: true } });
    expect(fields).toEqual([
      'redis.sentinel.sentinels[1]',
      'redis.sentinel.sentinels[2]',
      'redis.sentinel.name',
      'redis.sentinel.password',
      'redis.sentinel.db',
      'redis.sentinel.sentinelTLS',
    ]);
    expect(problemsOf({ sentinel: { sentinels: [], name: 'm' } }).fields).toEqual(['redis.sentinel.sentinels']);
  });

  it('names every wrong cluster field', () => {
    expect(problemsOf({ cluster: { nodes: 'a:1' } }).fields).toEqual(['redis.cluster.nodes']);
    expect(problemsOf({ cluster: { nodes: ['http://a:1', 'a:99999', 'redis://a:1/2'] } }).fields).toEqual([
      'redis.cluster.nodes[0]',
      'redis.cluster.nodes[1]',
      'redis.cluster.nodes[2]',
    ]);
    expect(problemsOf({ cluster: { nodes: ['rediss://a:1', 'redis://b:1'] } }).fields).toEqual(['redis.cluster.nodes']);
    expect(problemsOf({ cluster: { nodes: ['a:1'] }, keyPrefix: 'app{1}:' }).fields).toEqual(['redis.keyPrefix']);
  });

  it('never quotes a password', () => {
    const { message } = problemsOf({
      cluster: { nodes: ['redis://:node-secret@a:1/5'], password: 12345 },
      sentinel: undefined,
    });
    expect(message).not.toContain('node-secret');
    expect(message).not.toContain('12345');
    const sentinel = problemsOf({ sentinel: { sentinels: ['a:1'], name: 'm', sentinelPassword: { secret: 'x' } } });
    expect(sentinel.fields).toEqual(['redis.sentinel.sentinelPassword']);
  });
});
