import { BadRequestException, ForbiddenException, HttpException, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { NonRetryableError } from '../errors/non-retryable.error';
import { isRefusal, refusalReason } from './handler-refusal';

describe('guard and pipe refusals', () => {
  it('counts 4xx HttpExceptions and NonRetryableError as refusals, except 408 and 429', () => {
    expect(isRefusal(new ForbiddenException())).toBe(true);
    expect(isRefusal(new BadRequestException(['x must be a number']))).toBe(true);
    expect(isRefusal(new NonRetryableError('no'))).toBe(true);
    expect(isRefusal(new HttpException('slow down', HttpStatus.TOO_MANY_REQUESTS))).toBe(false);
    expect(isRefusal(new HttpException('timeout', HttpStatus.REQUEST_TIMEOUT))).toBe(false);
    expect(isRefusal(new ServiceUnavailableException())).toBe(false);
    expect(isRefusal(new Error('database down'))).toBe(false);
    expect(isRefusal('a string')).toBe(false);
  });

  it("gives the validation messages of a BadRequestException, else the response's message or the error's", () => {
    expect(refusalReason(new BadRequestException(['email must be an email', 'age must be a number']))).toBe(
      'email must be an email; age must be a number',
    );
    expect(refusalReason(new BadRequestException('Validation failed (numeric string is expected)'))).toBe(
      'Validation failed (numeric string is expected)',
    );
    expect(refusalReason(new ForbiddenException())).toBe('Forbidden');
    expect(refusalReason(new HttpException('plain text', 400))).toBe('plain text');
    expect(refusalReason(new HttpException({ code: 7 }, 400))).toBe('Http Exception');
    expect(refusalReason(new NonRetryableError('tenant unknown'))).toBe('tenant unknown');
  });
});
