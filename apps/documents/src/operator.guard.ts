import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Both sides hashed first, so the comparison takes the same time whatever the lengths. */
const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Lets operators into the event-bus console with HTTP Basic credentials: user `CONSOLE_USER`
 * (default `operator`), password `CONSOLE_PASSWORD`. Without a password configured nobody gets
 * in. A refusal carries the Basic challenge, so a browser asks for the credentials.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const password = process.env.CONSOLE_PASSWORD;
    const user = process.env.CONSOLE_USER ?? 'operator';
    const given = http.getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization ?? '';
    if (password && sameSecret(given, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`)) return true;
    http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Basic realm="event bus console"');
    throw new UnauthorizedException(password ? 'operator credentials required' : 'the console is closed: set CONSOLE_PASSWORD to open it');
  }
}
