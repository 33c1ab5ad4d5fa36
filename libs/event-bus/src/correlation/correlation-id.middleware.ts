import { Injectable, type NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { runWithCorrelation } from './correlation-context';

/** HTTP header that carries the correlation id in and out. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Longest accepted incoming id; anything else gets a fresh one (ids end up in logs and headers). */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

interface MinimalRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface MinimalResponse {
  setHeader(name: string, value: string): unknown;
}

/**
 * Takes `x-correlation-id` from the request (or makes a new one), echoes it on the response
 * and makes it current for everything the request does, so events published while handling
 * it carry it. Works with Express and Fastify (`consumer.apply(CorrelationIdMiddleware).forRoutes('*')`).
 */
@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: MinimalRequest, res: MinimalResponse, next: () => void): void {
    const incoming = req.headers[CORRELATION_ID_HEADER];
    const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
    const correlationId = candidate && ACCEPTED_ID.test(candidate) ? candidate : randomUUID();
    res.setHeader(CORRELATION_ID_HEADER, correlationId);
    runWithCorrelation({ correlationId }, next);
  }
}
