import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import * as eventBusPackage from 'nestjs-event-bus';
import { BrokerConnectionError, InvalidEventError, type EventBusOptions, type EventEnvelope } from 'nestjs-event-bus';
import { CapturedLog, startChaosApp, type ChaosApp } from '../support/chaos-app';
import { createCerts, type ChaosCerts } from '../support/chaos-certs';
import { deleteSharedKeys } from '../support/chaos-cleanup';
import { takeDeadLetters } from '../support/chaos-dead-letters';
import { malformedBodies } from '../support/chaos-malformed';
import { chaosOptions } from '../support/chaos-options';
import { captureOutput } from '../support/chaos-output-capture';
import { recordCheck } from '../support/chaos-report';
import { startTlsRabbitMq, type TlsRabbitMq } from '../support/chaos-tls-rabbitmq';
import { redisSupportsTls, startTlsRedis, type TlsRedis } from '../support/chaos-tls-redis';
import { findFreePort } from '../support/free-port';
import { RawAmqp } from '../support/raw-amqp';
import { REDIS_URL, uniqueName, uniqueTopology } from '../support/test-names';
import { deferred, waitFor } from '../support/wait-for';

const TLS_REDIS = redisSupportsTls();
const itWithTlsRedis = TLS_REDIS ? it : it.skip;
const WITHOUT_TLS_REDIS = TLS_REDIS ? '' : ' [skipped: this redis-server was built without TLS]';
const SHARED_REDIS_PORT = Number(new URL(REDIS_URL).port || 6379);

/** Every text a failed start can show: the error (message, stack, inspected), the log and the process output. */
function everythingShown(error: unknown, log: CapturedLog, output: string): string {
  const e = error as (Error & { cause?: unknown }) | undefined;
  return [e?.message, e?.stack, inspect(error, { depth: 6 }), String(e?.cause ?? ''), log.text, output].join('\n');
}

/** Starts a bus with `options` (and closes it if it did start), capturing everything it prints. */
async function attemptStart(options: EventBusOptions): Promise<{ error: unknown; shown: string }> {
  const log = new CapturedLog();
  const { error, output } = await captureOutput(async () => {
    const app = await startChaosApp(options, log);
    await app.close();
  });
  return { error, shown: everythingShown(error, log, output) };
}

/** A failed Redis start; matched by name because the package does not export the class (see the last test). */
const isRedisConnectionError = (error: unknown): boolean => (error as Error | undefined)?.name === 'RedisConnectionError';
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'started');

/** The spellings of a password found in `shown`: as typed, and as written in a URL. */
const leaked = (shown: string, password: string) => [password, encodeURIComponent(password)].filter((form) => shown.includes(form));

describe('chaos: security', () => {
  // Characters a URL must escape, so both spellings of each password are looked for.
  const password = `Ch@os:pw/${randomBytes(6).toString('hex')}#%`;
  const wrongPassword = `Wr0ng@pw/${randomBytes(6).toString('hex')}`;
  const topology = uniqueTopology('chaos-sec');
  const apps: ChaosApp[] = [];
  let certs: ChaosCerts;
  let broker: TlsRabbitMq;
  let redis: TlsRedis | undefined;

  const url = (scheme: string, user: string, secret: string, port: number) =>
    `${scheme}://${user}:${encodeURIComponent(secret)}@127.0.0.1:${port}`;
  const amqp = (secret = password) => url('amqp', 'chaos', secret, broker.port);
  const amqps = () => url('amqps', 'chaos', password, broker.tlsPort);
  const rediss = (secret = password) => url('rediss', '', secret, redis!.port);
  const options = (rabbitmqUrl: string, redisUrl: string, tls: { rabbitmq?: boolean; redis?: boolean } = {}) =>
    chaosOptions(uniqueName('chaos-sec'), topology, {
      rabbitmq: { url: rabbitmqUrl, connectTimeout: 2000, tls: tls.rabbitmq ? { ca: certs.ca } : undefined },
      redis: { url: redisUrl, keyPrefix: topology.keyPrefix, connectTimeout: 2000, tls: tls.redis ? { ca: certs.ca } : undefined },
    });

  beforeAll(async () => {
    certs = await createCerts();
    [broker, redis] = await Promise.all([startTlsRabbitMq(certs), TLS_REDIS ? startTlsRedis(certs, password) : undefined]);
    await broker.addUser('chaos', password);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close().catch(() => undefined)));
    await Promise.all([broker?.stop(), redis?.stop()]);
    await certs?.remove();
    await deleteSharedKeys(topology.keyPrefix);
  }, 120_000);

  describe('passwords never reach an error, a log line or the process output', () => {
    it('a wrong broker password', async () => {
      const { error, shown } = await attemptStart(options(amqp(wrongPassword), REDIS_URL));
      const passed = error instanceof BrokerConnectionError && leaked(shown, wrongPassword).length === 0;
      recordCheck('security-wrong-broker-password', 'Wrong broker password: not printed', passed, messageOf(error));
      expect(error).toBeInstanceOf(BrokerConnectionError);
      expect(messageOf(error)).toMatch(/ACCESS.REFUSED|403/);
      expect(leaked(shown, wrongPassword)).toEqual([]);
    });

    itWithTlsRedis(`a wrong Redis password${WITHOUT_TLS_REDIS}`, async () => {
      const { error, shown } = await attemptStart(options(amqp(), rediss(wrongPassword), { redis: true }));
      const passed = isRedisConnectionError(error) && leaked(shown, wrongPassword).length === 0;
      recordCheck('security-wrong-redis-password', 'Wrong Redis password: not printed', passed, messageOf(error));
      expect(isRedisConnectionError(error)).toBe(true);
      expect(messageOf(error)).toMatch(/WRONGPASS|NOAUTH|invalid/i);
      expect(leaked(shown, wrongPassword)).toEqual([]);
      // The broker's correct password went through the same start: not shown either.
      expect(leaked(shown, password)).toEqual([]);
    });

    it('a password handed to a Redis that needs none', async () => {
      const { error, shown } = await attemptStart(options(amqp(), url('redis', '', wrongPassword, SHARED_REDIS_PORT)));
      const passed = leaked(shown, wrongPassword).length + leaked(shown, password).length === 0;
      recordCheck('security-unneeded-redis-password', 'Password sent to a Redis without one: not printed', passed, messageOf(error));
      expect(leaked(shown, wrongPassword)).toEqual([]);
      expect(leaked(shown, password)).toEqual([]);
    });

    it('unreachable broker and Redis hosts', async () => {
      const closed = await findFreePort();
      const noBroker = await attemptStart(options(url('amqp', 'chaos', password, closed), REDIS_URL));
      const noRedis = await attemptStart(options(amqp(), url('redis', 'default', wrongPassword, closed)));
      const found = [...leaked(noBroker.shown, password), ...leaked(noRedis.shown, password), ...leaked(noRedis.shown, wrongPassword)];
      const passed = noBroker.error instanceof BrokerConnectionError && isRedisConnectionError(noRedis.error) && found.length === 0;
      recordCheck(
        'security-unreachable',
        'Unreachable broker / Redis: passwords not printed',
        passed,
        `${messageOf(noBroker.error)} | ${messageOf(noRedis.error)}`,
      );
      expect(noBroker.error).toBeInstanceOf(BrokerConnectionError);
      expect(messageOf(noBroker.error)).toContain('amqp://chaos:***@127.0.0.1');
      expect(isRedisConnectionError(noRedis.error)).toBe(true);
      expect(found).toEqual([]);
    });

    it('a running bus whose TLS connections the broker drops', async () => {
      const log = new CapturedLog();
      const redisUrl = TLS_REDIS ? rediss() : REDIS_URL;
      let sent = '';
      let handled = '';
      const { error, output } = await captureOutput(async () => {
        const app = await startChaosApp(options(amqps(), redisUrl, { rabbitmq: true, redis: TLS_REDIS }), log);
        apps.push(app);
        const seen = deferred<string>();
        await app.bus.subscribe('AFTER_DROP', (event: EventEnvelope) => seen.resolve(event.id));
        await broker.closeAllConnections();
        // The publish waits for the reconnect; the handler runs once consuming resumed.
        sent = (await app.bus.publish({ type: 'AFTER_DROP', data: {} })).id;
        handled = await seen.promise;
        await app.close();
      });
      const shown = everythingShown(error, log, output);
      const passed = !error && handled === sent && leaked(shown, password).length === 0;
      recordCheck(
        'security-reconnect-logs',
        'Reconnect after a broker-side drop: password not logged',
        passed,
        `${log.lines.length} log lines captured`,
      );
      expect(error).toBeUndefined();
      expect(handled).toBe(sent);
      expect(leaked(shown, password)).toEqual([]);
    });
  });

  describe('TLS with a self-signed CA', () => {
    itWithTlsRedis(
      `amqps:// and rediss:// with tls.ca: publish, handle through the ledger, latest-event cache${WITHOUT_TLS_REDIS}`,
      async () => {
        const app = await startChaosApp(options(amqps(), rediss(), { rabbitmq: true, redis: true }), new CapturedLog());
        apps.push(app);
        const handled = deferred<EventEnvelope>();
        await app.bus.subscribe('SECURE', (event: EventEnvelope) => handled.resolve(event));
        const sent = await app.bus.publish({ type: 'SECURE', key: 'k1', data: { ok: true } }, { cache: true });
        const received = await handled.promise;
        const cached = await app.bus.getLatest('SECURE', 'k1');
        const passed = received.id === sent.id && cached?.id === sent.id;
        recordCheck(
          'security-tls-works',
          'amqps:// + rediss:// with a self-signed CA (tls.ca): publish -> handle, cache',
          passed,
          `event ${sent.id} handled over TLS; ledger and cache on rediss://`,
        );
        expect(received.id).toBe(sent.id);
        expect(received.data).toEqual({ ok: true });
        expect(cached?.id).toBe(sent.id);
      },
    );

    it('without the CA an amqps:// connection fails: certificate checks stay on', async () => {
      const { error, shown } = await attemptStart(options(amqps(), REDIS_URL));
      recordCheck(
        'security-amqps-untrusted',
        'amqps:// without the CA is refused (certificate verified)',
        error instanceof BrokerConnectionError,
        messageOf(error),
      );
      expect(error).toBeInstanceOf(BrokerConnectionError);
      expect(messageOf(error)).toMatch(/certificate/i);
      expect(leaked(shown, password)).toEqual([]);
    });

    itWithTlsRedis(`without the CA a rediss:// connection fails: certificate checks stay on${WITHOUT_TLS_REDIS}`, async () => {
      const { error, shown } = await attemptStart(options(amqp(), rediss()));
      recordCheck(
        'security-rediss-untrusted',
        'rediss:// without the CA is refused (certificate verified)',
        isRedisConnectionError(error),
        messageOf(error),
      );
      expect(isRedisConnectionError(error)).toBe(true);
      expect(messageOf(error)).toMatch(/certificate/i);
      expect(leaked(shown, password)).toEqual([]);
    });
  });

  describe('hostile payloads', () => {
    const maxMessageBytes = 64 * 1024;
    const start = async (label: string) => {
      const app = await startChaosApp(
        chaosOptions(uniqueName(label), topology, { rabbitmq: { url: amqp() }, maxMessageBytes }),
        new CapturedLog(),
      );
      apps.push(app);
      return app;
    };

    it('publish() refuses oversize and prototype-polluting data and sends nothing', async () => {
      const app = await start('chaos-sec-pub');
      const received: EventEnvelope[] = [];
      await app.bus.subscribe('HOSTILE', (event: EventEnvelope) => void received.push(event));
      const hostile: Array<[string, unknown]> = [
        ['oversize', { pad: 'x'.repeat(maxMessageBytes) }],
        ['__proto__ key', JSON.parse('{"__proto__":{"polluted":"yes"}}')],
        ['nested __proto__ key', { user: JSON.parse('{"name":"x","__proto__":{"isAdmin":true}}') }],
        ['constructor.prototype keys', JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}')],
      ];
      const outcomes = await Promise.all(
        hostile.map(([, data]) =>
          app.bus.publish({ type: 'HOSTILE', data }).then(
            () => 'sent',
            (err: Error) => err.name,
          ),
        ),
      );
      // Whatever was sent arrives before this marker, which is published after them.
      const marker = await app.bus.publish({ type: 'HOSTILE', data: { marker: true } });
      await waitFor(() => received.some((e) => e.id === marker.id), { message: 'the marker' });
      const refused = outcomes.filter((name) => name === InvalidEventError.name).length;
      const detail = `${refused} of ${hostile.length} refused with InvalidEventError (${hostile.map(([label]) => label).join(', ')}); the queue saw only the marker published after them`;
      recordCheck(
        'security-publish-hostile',
        'publish() refuses oversize and __proto__ / constructor.prototype data',
        refused === hostile.length && received.length === 1,
        detail,
      );
      expect(outcomes).toEqual(hostile.map(() => 'InvalidEventError'));
      expect(received.map((e) => e.id)).toEqual([marker.id]);
    });

    it('a consumer dead-letters oversize and prototype-polluting bodies without calling the handler', async () => {
      const app = await start('chaos-sec-sub');
      const received: EventEnvelope[] = [];
      const sub = await app.bus.subscribe('HOSTILE_IN', (event: EventEnvelope) => void received.push(event));
      const raw = await RawAmqp.connect(amqp());
      try {
        const bodies = malformedBodies(maxMessageBytes).filter((m) => /proto|oversize/.test(m.label));
        for (const [i, m] of bodies.entries()) {
          await raw.publish(topology.exchange, 'HOSTILE_IN', m.body, { messageId: `hostile-${i}`, contentType: m.contentType });
        }
        await waitFor(async () => (await raw.depth(`${sub.queue}.dlq`)) === bodies.length, { message: 'every hostile body dead-lettered' });
        const letters = await takeDeadLetters(raw, `${sub.queue}.dlq`);
        const probe = {} as Record<string, unknown>;
        const polluted = probe.polluted ?? probe.isAdmin;
        const passed = received.length === 0 && letters.every((l) => l.errorName === 'UndecodableMessageError') && polluted === undefined;
        const detail = `${letters.length} dead letters (${bodies.map((b) => b.label).join(', ')}): ${[...new Set(letters.map((l) => l.error.replace(/^.*?: /, '')))].join('; ')}`;
        recordCheck(
          'security-consume-hostile',
          'Consumer dead-letters oversize and __proto__ / constructor.prototype bodies',
          passed,
          detail,
        );
        expect(received).toEqual([]);
        expect(letters.map((l) => l.errorName)).toEqual(bodies.map(() => 'UndecodableMessageError'));
        expect(polluted).toBeUndefined();
      } finally {
        await raw.close();
      }
    });
  });

  it('exports RedisConnectionError, the documented error of a failed Redis start, so callers can recognise it', () => {
    // README (Configuration): "a wrong URL or password fails the start (BrokerConnectionError,
    // RedisConnectionError)"; only the first can be imported from the package.
    const exported = Object.keys(eventBusPackage);
    const errors = exported.filter((name) => name.endsWith('Error')).join(', ');
    recordCheck(
      'api-redis-connection-error',
      'RedisConnectionError is exported like BrokerConnectionError',
      exported.includes('RedisConnectionError'),
      `exported errors: ${errors}`,
    );
    expect(exported).toContain('BrokerConnectionError');
    expect(exported).toContain('RedisConnectionError');
  });
});
