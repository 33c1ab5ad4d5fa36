import { UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { Redis } from 'ioredis';
import { EventBusConsoleModule, NonRetryableError, type EventBusConsoleOptions, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './raw-amqp';
import { startService, testOptions, type TestService } from './event-bus-app';
import { deleteKeys, REDIS_URL, uniqueName, uniqueTopology } from './test-names';

/** Operator credentials the test guard accepts, as HTTP Basic or as a bearer token. */
export const OPERATOR = { username: 'operator', password: 'console-test-password' } as const;
/** The bearer token the test guard accepts. */
export const OPERATOR_TOKEN = 'console-test-token';

/** Data of the fixture's event type, validated by the console's edit-and-replay. */
export class InvoiceIssued {
  @IsString()
  customer!: string;

  @IsInt()
  @Min(1)
  amount!: number;
}

/** The event type of the fixture's one subscription. */
export const INVOICE_ISSUED = 'INVOICE_ISSUED';

/**
 * A guard as a user would write one: HTTP Basic (so a browser asks for it) or a bearer token
 * (for scripts). A refusal carries the Basic challenge.
 */
export class OperatorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = String(http.getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization ?? '');
    const basic = `Basic ${Buffer.from(`${OPERATOR.username}:${OPERATOR.password}`).toString('base64')}`;
    if (header === basic || header === `Bearer ${OPERATOR_TOKEN}`) return true;
    http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Basic realm="event bus console"');
    throw new UnauthorizedException('operator credentials required');
  }
}

/** A running service with the console mounted, one failing subscription and a handle on both. */
export interface ConsoleFixture {
  service: TestService;
  /** Base URL of the console (`http://127.0.0.1:<port>/<path>`). */
  consoleUrl: string;
  queue: string;
  deadLetterQueue: string;
  /** Events the handler completed, in order. */
  handled: Array<EventEnvelope<InvoiceIssued>>;
  /** While true (the start), invoices of customers named `bad...` fail for good. */
  failing: { value: boolean };
  /** Publishes an invoice; resolves with its event id. */
  publish(data: InvoiceIssued): Promise<string>;
  raw: RawAmqp;
  close(): Promise<void>;
}

/**
 * Starts a service on the shared broker with `EventBusConsoleModule` mounted (guarded by
 * `OperatorGuard` unless `consoleOptions` say otherwise), listening on an ephemeral port.
 * `schemaVia` puts the DTO in the module's `schemas` or on the subscription.
 */
export async function startConsoleFixture(
  label: string,
  consoleOptions: EventBusConsoleOptions = { guard: OperatorGuard },
  schemaVia: 'module' | 'subscription' = 'module',
): Promise<ConsoleFixture> {
  const topology = uniqueTopology(label);
  const serviceName = uniqueName(label);
  const queue = `${serviceName}.${INVOICE_ISSUED}`;
  const raw = await RawAmqp.connect();
  const service = await startService(
    testOptions(serviceName, topology, schemaVia === 'module' ? { schemas: { [INVOICE_ISSUED]: InvoiceIssued } } : {}),
    { imports: [EventBusConsoleModule.forRoot(consoleOptions)] },
  );
  const handled: Array<EventEnvelope<InvoiceIssued>> = [];
  const failing = { value: true };
  await service.bus.subscribe<InvoiceIssued>(
    INVOICE_ISSUED,
    (event) => {
      if (failing.value && event.data.customer.startsWith('bad')) throw new NonRetryableError(`customer ${event.data.customer} is blocked`);
      handled.push(event);
    },
    schemaVia === 'subscription' ? { schema: InvoiceIssued } : {},
  );
  await service.app.listen(0, '127.0.0.1');
  const consoleUrl = `${(await service.app.getUrl()).replace('[::1]', '127.0.0.1')}/${(consoleOptions.path ?? 'event-bus').replace(/^\/+|\/+$/g, '')}`;
  return {
    service,
    consoleUrl,
    queue,
    deadLetterQueue: `${queue}.dlq`,
    handled,
    failing,
    publish: async (data) =>
      (await service.bus.publish({ type: INVOICE_ISSUED, data, metadata: { correlationId: `tx-${data.customer}` } })).id,
    raw,
    close: async () => {
      await service.close();
      await raw.cleanupTopology(topology, [queue]);
      await raw.close();
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, topology.keyPrefix);
      redis.disconnect();
    },
  };
}
