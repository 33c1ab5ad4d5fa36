import { passwordOf, redactSecrets, redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('masks the password of a bare URL, keeping user, host, port and path', () => {
    expect(redactUrl('amqp://admin:s3cr3t-pw@host:5672/vhost')).toBe('amqp://admin:***@host:5672/vhost');
  });

  it('masks a URL-encoded password entirely', () => {
    const out = redactUrl('redis://user:p%40ss%3Aw0rd%2F@cache:6379');
    expect(out).toBe('redis://user:***@cache:6379');
    expect(out).not.toContain('p%40ss');
  });

  it('masks a password without a user name', () => {
    expect(redactUrl('redis://:only-pw@cache:6379')).toBe('redis://:***@cache:6379');
  });

  it('masks every URL of a sentence', () => {
    const text =
      'Could not reach amqp://admin:s3cr3t-pw@rabbit:5672 nor AMQPS://bob:other-pw@backup/vh, ' + 'falling back to redis://:r3dis@cache.';

    const out = redactUrl(text);

    expect(out).toBe('Could not reach amqp://admin:***@rabbit:5672 nor AMQPS://bob:***@backup/vh, falling back to redis://:***@cache.');
    for (const secret of ['s3cr3t-pw', 'other-pw', 'r3dis']) expect(out).not.toContain(secret);
  });

  it('masks the whole password when it contains a raw "@" (the WHATWG parser accepts it)', () => {
    // passwordOf('amqp://admin:pa@ssword@host:5672') === 'pa@ssword': the URL is usable as is.
    const out = redactUrl('amqp://admin:pa@ssword@host:5672');
    expect(out).not.toContain('ssword');
    expect(out).toBe('amqp://admin:***@host:5672');
  });

  it('leaves URLs without a password untouched', () => {
    const text = 'connect amqp://localhost:5672/vhost and amqp://guest@host, mail me at user@example.com';
    expect(redactUrl(text)).toBe(text);
  });

  it('leaves text without URLs untouched', () => {
    expect(redactUrl('host:port@nothing here')).toBe('host:port@nothing here');
  });
});

describe('redactSecrets', () => {
  it('removes each secret wherever it appears, and URL passwords too', () => {
    const out = redactSecrets('auth failed for password s3cr3t-pw (amqp://admin:other-pw@host)', ['s3cr3t-pw']);

    expect(out).toBe('auth failed for password *** (amqp://admin:***@host)');
  });

  it('removes a password with a raw "@" from a quoted URL (secret given)', () => {
    const url = 'amqp://admin:pa@ssword@host:5672';
    const out = redactSecrets(`connection to ${url} refused`, [passwordOf(url)!]);
    expect(out).not.toContain('ssword');
  });

  it('removes every occurrence of every secret', () => {
    const out = redactSecrets('pw1=alpha-secret pw2=beta-secret again alpha-secret', ['alpha-secret', 'beta-secret']);
    expect(out).toBe('pw1=*** pw2=*** again ***');
  });

  it('removes a decoded secret that a driver quotes in clear', () => {
    expect(redactSecrets('WRONGPASS for p@ss/w0rd', ['p@ss/w0rd'])).toBe('WRONGPASS for ***');
  });

  it('ignores secrets too short to be scrubbed safely (would mangle ordinary text)', () => {
    expect(redactSecrets('a to b', ['a', 'to'])).toBe('a to b');
  });

  it('returns the text unchanged when there is nothing to hide', () => {
    expect(redactSecrets('all good at amqp://localhost', [])).toBe('all good at amqp://localhost');
  });
});

describe('passwordOf', () => {
  it('returns the password of a URL', () => {
    expect(passwordOf('amqp://admin:s3cr3t-pw@host:5672')).toBe('s3cr3t-pw');
  });

  it('decodes a URL-encoded password', () => {
    expect(passwordOf('redis://:p%40ss%2Fw0rd%3A@cache')).toBe('p@ss/w0rd:');
  });

  it('returns undefined without a password', () => {
    expect(passwordOf('amqp://localhost')).toBeUndefined();
    expect(passwordOf('amqp://guest@localhost')).toBeUndefined();
    expect(passwordOf('amqp://guest:@localhost')).toBeUndefined();
  });

  it('returns undefined for something that is not a URL', () => {
    expect(passwordOf('not a url')).toBeUndefined();
    expect(passwordOf('')).toBeUndefined();
  });
});
