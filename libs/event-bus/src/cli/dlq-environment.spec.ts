import { EVENT_BUS_ENV_DEFAULTS } from '../config/event-bus-options.from-env';
import { DLQ_ENVIRONMENT, environmentVariableOf, formatEnvironmentHelp } from './dlq-environment';

describe('formatEnvironmentHelp', () => {
  const help = formatEnvironmentHelp();

  it('names each main variable with its default on the next line', () => {
    const lines = help.split('\n');
    const defaultOf = (name: string) => lines[lines.findIndex((l) => l.startsWith(`  ${name} `)) + 1]?.trim();
    for (const [name, value] of Object.entries(EVENT_BUS_ENV_DEFAULTS)) expect(defaultOf(name)).toBe(`default: ${value}`);
    expect(defaultOf('SERVICE_NAME')).toBe('default: dlq-cli');
  });

  it('names the other variables read', () => {
    for (const name of ['RETRY_COUNT', 'RETRY_DELAY', 'RETRY_BACKOFF', 'PREFETCH', 'QUEUE_TYPE', 'EVENT_TTL']) expect(help).toContain(name);
  });

  it('fits in 80 columns', () => {
    expect(help.split('\n').every((line) => line.length <= 80)).toBe(true);
  });
});

describe('environmentVariableOf', () => {
  it('maps module option paths to their variables', () => {
    expect(environmentVariableOf('rabbitmq.url')).toBe('RABBITMQ_URL');
    expect(environmentVariableOf('rabbitmq.deadLetterExchange')).toBe('DEAD_LETTER_EXCHANGE');
    expect(environmentVariableOf('redis.eventTTL')).toBe('EVENT_TTL');
    expect(environmentVariableOf('schemas.X')).toBeUndefined();
  });

  it('lists each variable once', () => {
    const names = DLQ_ENVIRONMENT.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
