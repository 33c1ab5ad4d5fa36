import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { OperatorGuard } from './operator.guard';

function contextWith(authorization?: string) {
  const headers: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({
      getRequest: () => ({ headers: authorization === undefined ? {} : { authorization } }),
      getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('OperatorGuard', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.CONSOLE_PASSWORD = saved.CONSOLE_PASSWORD;
    process.env.CONSOLE_USER = saved.CONSOLE_USER;
    if (saved.CONSOLE_PASSWORD === undefined) delete process.env.CONSOLE_PASSWORD;
    if (saved.CONSOLE_USER === undefined) delete process.env.CONSOLE_USER;
  });

  it('lets in the configured operator', () => {
    process.env.CONSOLE_PASSWORD = 's3cret';
    expect(new OperatorGuard().canActivate(contextWith(basic('operator', 's3cret')).context)).toBe(true);
    process.env.CONSOLE_USER = 'ops';
    expect(new OperatorGuard().canActivate(contextWith(basic('ops', 's3cret')).context)).toBe(true);
  });

  it('refuses wrong or missing credentials with a Basic challenge', () => {
    process.env.CONSOLE_PASSWORD = 's3cret';
    for (const header of [undefined, basic('operator', 'guess'), 'Bearer s3cret']) {
      const { context, headers } = contextWith(header);
      expect(() => new OperatorGuard().canActivate(context)).toThrow(UnauthorizedException);
      expect(headers['WWW-Authenticate']).toBe('Basic realm="event bus console"');
    }
  });

  it('lets nobody in while no password is configured, and says how to open it', () => {
    delete process.env.CONSOLE_PASSWORD;
    expect(() => new OperatorGuard().canActivate(contextWith(basic('operator', '')).context)).toThrow(/set CONSOLE_PASSWORD/);
  });
});
