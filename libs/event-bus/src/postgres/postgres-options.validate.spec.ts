import { validatePostgresOptions } from './postgres-options.validate';

const pool = { connect: () => undefined, query: () => undefined } as never;

describe('validatePostgresOptions', () => {
  it('fills in the defaults', () => {
    const resolved = validatePostgresOptions({ pool });
    expect(resolved).toMatchObject({
      schema: 'event_bus',
      ensureSchema: false,
      relay: { batchSize: 100, maxAttempts: 10 },
      retention: { sent: 86_400_000 },
    });
  });

  it('keeps given values', () => {
    const resolved = validatePostgresOptions({ pool, schema: 'bus', relay: { batchSize: 5 }, retention: { interval: 500 } });
    expect(resolved).toMatchObject({ schema: 'bus', relay: { batchSize: 5, pollInterval: 1_000 }, retention: { interval: 500 } });
  });

  it('reports every problem at once, naming the field', () => {
    expect(() =>
      validatePostgresOptions({ pool: {}, schema: 'Bad-Name', relay: { batchSize: 0, enabeld: true }, retention: 'x', extra: 1 }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^pool: required; a pg Pool/),
          expect.stringMatching(/^schema: lower-case/),
          'relay.batchSize: must be an integer >= 1 (got 0)',
          expect.stringMatching(/^relay.enabeld: unknown option; did you mean relay.enabled\?/),
          'retention: must be an object (got "x")',
          expect.stringMatching(/^extra: unknown option/),
        ],
      }),
    );
  });

  it('refuses a missing options object', () => {
    expect(() => validatePostgresOptions(undefined)).toThrow(/options: required/);
  });
});
