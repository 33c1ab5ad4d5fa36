import { InvalidEventBusOptionsError } from '../errors/invalid-options.error';
import { brokerUrlsOf } from './broker-urls.check';
import { validateEventBusOptions } from './validate-options';

const withRabbitMq = (rabbitmq: Record<string, unknown>) => ({
  serviceName: 'svc',
  rabbitmq: { exchange: 'ex', deadLetterExchange: 'dlx', ...rabbitmq },
});

/** The problems validation reports for the given `rabbitmq` options. */
function problemsFor(rabbitmq: Record<string, unknown>): readonly string[] {
  try {
    validateEventBusOptions(withRabbitMq(rabbitmq));
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidEventBusOptionsError);
    return (err as InvalidEventBusOptionsError).problems;
  }
  throw new Error('expected validateEventBusOptions to throw');
}

describe('rabbitmq.url / rabbitmq.urls', () => {
  it('resolves a list of node URLs in order, the first one also as url', () => {
    const resolved = validateEventBusOptions(withRabbitMq({ urls: ['amqp://a:1', 'amqps://b:2'] }));
    expect(resolved.rabbitmq.urls).toEqual(['amqp://a:1', 'amqps://b:2']);
    expect(resolved.rabbitmq.url).toBe('amqp://a:1');
  });

  it('keeps a single url working as before, as a list of one', () => {
    const resolved = validateEventBusOptions(withRabbitMq({ url: 'amqp://localhost' }));
    expect(resolved.rabbitmq.url).toBe('amqp://localhost');
    expect(resolved.rabbitmq.urls).toEqual(['amqp://localhost']);
  });

  it('refuses both url and urls, naming rabbitmq.urls', () => {
    const problems = problemsFor({ url: 'amqp://a', urls: ['amqp://b'] });
    expect(problems).toEqual([expect.stringMatching(/^rabbitmq\.urls: give either rabbitmq\.url .* not both$/)]);
  });

  it('refuses neither, naming rabbitmq.url and mentioning rabbitmq.urls', () => {
    expect(problemsFor({})).toEqual([expect.stringMatching(/^rabbitmq\.url: required \(or rabbitmq\.urls/)]);
  });

  it.each([
    ['an empty list', [], 'an empty array'],
    ['a string', 'amqp://a,amqp://b', '"amqp://a,amqp://b"'],
  ])('refuses %s as urls', (_, urls, got) => {
    expect(problemsFor({ urls })).toEqual([
      `rabbitmq.urls: must be a non-empty array of amqp:// or amqps:// URLs, one per cluster node (got ${got})`,
    ]);
  });

  it('names each bad entry by its index, passwords masked', () => {
    const problems = problemsFor({ urls: ['amqp://ok', 'http://user:hunter22@b', 'not a url', ''] });
    expect(problems).toEqual([
      expect.stringMatching(/^rabbitmq\.urls\[1\]: expected an? amqp:\/\/ or amqps:\/\/ URL \(got "http:\/\/user:\*\*\*@b"\)$/),
      expect.stringMatching(/^rabbitmq\.urls\[2\]: not a valid URL/),
      expect.stringMatching(/^rabbitmq\.urls\[3\]: required/),
    ]);
    expect(problems.join('\n')).not.toContain('hunter22');
  });

  it('scrubs the password of every node URL from logs (secrets)', () => {
    const resolved = validateEventBusOptions(withRabbitMq({ urls: ['amqp://u:first-pw@a', 'amqp://u:second-pw@b'] }));
    expect(resolved.secrets).toEqual(expect.arrayContaining(['first-pw', 'second-pw']));
  });

  it('validates deliveryLimit as an integer >= 1 and defaults it to 20', () => {
    expect(validateEventBusOptions(withRabbitMq({ url: 'amqp://a' })).rabbitmq.deliveryLimit).toBe(20);
    expect(validateEventBusOptions(withRabbitMq({ url: 'amqp://a', deliveryLimit: 5 })).rabbitmq.deliveryLimit).toBe(5);
    for (const bad of [0, 2.5, '20']) {
      expect(problemsFor({ url: 'amqp://a', deliveryLimit: bad })).toEqual([
        expect.stringMatching(/^rabbitmq\.deliveryLimit: must be an integer >= 1/),
      ]);
    }
  });

  it('brokerUrlsOf gives urls, or url alone', () => {
    expect(brokerUrlsOf({ urls: ['amqp://a', 'amqp://b'] })).toEqual(['amqp://a', 'amqp://b']);
    expect(brokerUrlsOf({ url: 'amqp://a' })).toEqual(['amqp://a']);
  });
});
