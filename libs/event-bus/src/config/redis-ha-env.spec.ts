import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { validateEventBusOptions } from '../options/validate-options';
import { eventBusOptionsFromEnv } from './event-bus-options.from-env';

function problemsFor(env: Record<string, string>): InvalidEventBusOptionsError {
  try {
    eventBusOptionsFromEnv({ SERVICE_NAME: 'svc', ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventBusOptionsError);
    return err as InvalidEventBusOptionsError;
  }
  throw new Error('expected eventBusOptionsFromEnv to throw');
}

describe('eventBusOptionsFromEnv: Redis Sentinel and Cluster', () => {
  it('reads REDIS_SENTINELS, REDIS_SENTINEL_NAME and the passwords into redis.sentinel', () => {
    const options = eventBusOptionsFromEnv({
      SERVICE_NAME: 'svc',
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_NAME: 'main',
      REDIS_PASSWORD: 'master-pw',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
    });
    expect(options.redis).toEqual({
      sentinel: { sentinels: ['s1:26379', 's2:26380'], name: 'main', password: 'master-pw', sentinelPassword: 'sentinel-pw' },
      keyPrefix: 'events:',
      eventTTL: undefined,
    });
    const resolved = validateEventBusOptions(options);
    expect(resolved.redis?.sentinel?.sentinels).toEqual([
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    expect(resolved.secrets).toEqual(expect.arrayContaining(['master-pw', 'sentinel-pw']));
  });

  it('reads REDIS_CLUSTER_NODES (URLs or host:port) and REDIS_PASSWORD into redis.cluster', () => {
    const options = eventBusOptionsFromEnv({ SERVICE_NAME: 'svc', REDIS_CLUSTER_NODES: 'redis://n1:7000,n2:7001', REDIS_PASSWORD: 'pw' });
    expect(options.redis?.cluster).toEqual({ nodes: ['redis://n1:7000', 'n2:7001'], password: 'pw' });
    expect(options.redis?.url).toBeUndefined();
    expect(validateEventBusOptions(options).redis?.cluster?.nodes).toEqual([
      { host: 'n1', port: 7000 },
      { host: 'n2', port: 7001 },
    ]);
  });

  it('refuses more than one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES', () => {
    expect(problemsFor({ REDIS_URL: 'redis://r', REDIS_CLUSTER_NODES: 'n1:7000' }).fields).toEqual(['REDIS_CLUSTER_NODES']);
    expect(problemsFor({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n1' }).fields).toEqual([
      'REDIS_CLUSTER_NODES',
    ]);
  });

  it('names each bad variable, never quoting a password', () => {
    const err = problemsFor({ REDIS_SENTINELS: 's1,,redis://s3', REDIS_CLUSTER_NODES: '', REDIS_PASSWORD: 'top-secret' });
    expect(err.fields).toEqual(['REDIS_SENTINEL_NAME', 'REDIS_SENTINELS', 'REDIS_SENTINELS']);
    expect(problemsFor({ REDIS_SENTINEL_NAME: 'm' }).fields).toEqual(['REDIS_SENTINEL_NAME']);
    const nodes = problemsFor({ REDIS_CLUSTER_NODES: 'redis://:node-secret@n1:7000/3,http://n2' });
    expect(nodes.fields).toEqual(['REDIS_CLUSTER_NODES', 'REDIS_CLUSTER_NODES']);
    expect(nodes.message).not.toContain('node-secret');
  });
});
