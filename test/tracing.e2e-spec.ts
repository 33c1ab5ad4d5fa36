import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CLOUDEVENTS_CONTENT_TYPE } from '../libs/event-bus/src/event-bus.constants';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { RawAmqp } from './support/raw-amqp';
import { RABBITMQ_URL, uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/**
 * Two services on one bus with a tracing SDK registered as an application would: spans go to an
 * in-memory exporter, and the test reads the parent/child chain off them.
 */
describe('tracing across services (OpenTelemetry)', () => {
  const topology = uniqueTopology('trace');
  const orders = uniqueName('orders');
  const billing = uniqueName('billing');
  const queues: string[] = [];
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager();
  let ordersService: TestService;
  let billingService: TestService;
  let raw: RawAmqp;

  const spans = () => exporter.getFinishedSpans();
  const processSpansOf = (eventId: string) =>
    spans()
      .filter((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.message.id'] === eventId)
      .sort((a, b) => Number(a.attributes['event_bus.attempt']) - Number(b.attributes['event_bus.attempt']));
  const publishSpanOf = (eventId: string) =>
    spans().find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === eventId);

  beforeAll(async () => {
    trace.setGlobalTracerProvider(provider);
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    raw = await RawAmqp.connect();
    const rabbitmq = {
      url: RABBITMQ_URL,
      exchange: topology.exchange,
      deadLetterExchange: topology.deadLetterExchange,
      retryDelay: 50,
      retryCount: 1,
    };
    ordersService = await startService(testOptions(orders, topology, { rabbitmq }));
    billingService = await startService(testOptions(billing, topology, { rabbitmq }));
  });

  afterAll(async () => {
    await ordersService?.close();
    await billingService?.close();
    await raw.cleanupTopology(topology, queues);
    await raw.close();
    trace.disable();
    context.disable();
    propagation.disable();
    await provider.shutdown();
  });

  async function subscribe(service: TestService, type: string, handler: Parameters<TestService['bus']['subscribe']>[1]) {
    const sub = await service.bus.subscribe(type, handler);
    queues.push(sub.queue);
    return sub;
  }

  it('runs one trace from the request through publish -> handler -> publish -> handler across two services', async () => {
    let paymentEventId: string | undefined;
    await subscribe(billingService, 'ORDER_PLACED', async (event) => {
      const payment = await billingService.bus.publish({
        type: 'PAYMENT_REQUESTED',
        data: { orderId: (event.data as { orderId: string }).orderId },
      });
      paymentEventId = payment.id;
    });
    const handled: string[] = [];
    await subscribe(ordersService, 'PAYMENT_REQUESTED', (event) => {
      handled.push(event.id);
    });

    // The request span stands for what HTTP instrumentation would have made active.
    const tracer = trace.getTracer('test');
    const { requestSpan, placed } = await tracer.startActiveSpan('POST /orders', async (span) => {
      const envelope = await ordersService.bus.publish({ type: 'ORDER_PLACED', data: { orderId: 'o-1' } });
      span.end();
      return { requestSpan: span, placed: envelope };
    });
    await waitFor(() => paymentEventId !== undefined && handled.includes(paymentEventId), { message: 'payment handled' });
    await waitFor(() => processSpansOf(paymentEventId!).length === 1, { message: 'second handler span' });

    const traceId = requestSpan.spanContext().traceId;
    const publish1 = publishSpanOf(placed.id)!;
    const process1 = processSpansOf(placed.id)[0];
    const publish2 = publishSpanOf(paymentEventId!)!;
    const process2 = processSpansOf(paymentEventId!)[0];
    const chain = [publish1, process1, publish2, process2];
    expect(chain.every((s) => s !== undefined && s.spanContext().traceId === traceId)).toBe(true);
    expect(publish1.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
    expect(process1.parentSpanContext?.spanId).toBe(publish1.spanContext().spanId);
    expect(publish2.parentSpanContext?.spanId).toBe(process1.spanContext().spanId);
    expect(process2.parentSpanContext?.spanId).toBe(publish2.spanContext().spanId);

    expect(publish1.name).toBe(`publish ${topology.exchange}`);
    expect(publish1.attributes).toMatchObject({
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topology.exchange,
      'rabbitmq.destination.routing_key': 'ORDER_PLACED',
      'messaging.message.conversation_id': placed.metadata.correlationId,
    });
    expect(process1.name).toBe(`process ${topology.exchange}`);
    expect(process1.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.destination.subscription.name': `${billing}.ORDER_PLACED`,
      'event_bus.attempt': 1,
    });
    // Correlation ids are untouched by tracing: the second event inherits the first one's.
    expect(process2.attributes['messaging.message.conversation_id']).toBe(placed.metadata.correlationId);
  });

  it('carries the trace context in the CloudEvent extension and the AMQP headers', async () => {
    const queue = uniqueName('trace-wire');
    queues.push(queue);
    await raw.channel.assertQueue(queue, { durable: false });
    await raw.channel.bindQueue(queue, topology.exchange, 'WIRE_CHECK');
    const envelope = await trace.getTracer('test').startActiveSpan('job', async (span) => {
      const published = await ordersService.bus.publish({ type: 'WIRE_CHECK', data: {} });
      span.end();
      return published;
    });
    const message = await raw.nextMessage(queue);
    const body = JSON.parse(message.content.toString()) as Record<string, unknown>;
    const publishSpan = publishSpanOf(envelope.id)!;
    const expected = `00-${publishSpan.spanContext().traceId}-${publishSpan.spanContext().spanId}-01`;
    expect(body.traceparent).toBe(expected);
    expect(message.properties.headers?.traceparent).toBe(expected);
    // The envelope publish() returns has no extensions, as before.
    expect(envelope.metadata.extensions).toBeUndefined();
  });

  it('shows a retried event as two attempt spans, the second a child of the failed first', async () => {
    const attempts: number[] = [];
    await subscribe(billingService, 'FLAKY_CHARGE', (_event, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt === 1) throw new Error('card service timeout');
    });
    const event = await ordersService.bus.publish({ type: 'FLAKY_CHARGE', data: {} });
    await waitFor(() => processSpansOf(event.id).length === 2, { message: 'two attempt spans' });

    const [first, second] = processSpansOf(event.id);
    const publish = publishSpanOf(event.id)!;
    expect(first.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    expect(first.status.code).toBe(SpanStatusCode.ERROR);
    expect(first.events.find((e) => e.name === 'exception')?.attributes?.['exception.message']).toBe('card service timeout');
    expect(first.events.find((e) => e.name === 'event_bus.retry')?.attributes).toMatchObject({ 'event_bus.attempt': 2 });
    expect(second.attributes['event_bus.attempt']).toBe(2);
    expect(second.parentSpanContext?.spanId).toBe(first.spanContext().spanId);
    expect(second.spanContext().traceId).toBe(publish.spanContext().traceId);
    expect(second.status.code).not.toBe(SpanStatusCode.ERROR);
    // The retried attempt still links to the publish that created the event.
    expect(second.links.map((l) => l.context.spanId)).toContain(publish.spanContext().spanId);
  });

  it('records dead-lettering on the last attempt, and the dead letter carries that attempt as trace parent', async () => {
    const sub = await subscribe(billingService, 'POISON_CHARGE', () => {
      throw new Error('always fails');
    });
    const event = await ordersService.bus.publish({ type: 'POISON_CHARGE', data: {} });
    const deadLetter = await raw.nextMessage(`${sub.queue}.dlq`);
    await waitFor(() => processSpansOf(event.id).length === 2, { message: 'both attempt spans ended' });

    const [first, last] = processSpansOf(event.id);
    expect(first.events.map((e) => e.name)).toContain('event_bus.retry');
    const dead = last.events.find((e) => e.name === 'event_bus.dead_letter');
    expect(dead?.attributes).toMatchObject({ 'event_bus.dead_letter.queue': `${sub.queue}.dlq`, 'error.type': 'Error' });
    const traceparent = String(deadLetter.properties.headers?.traceparent);
    expect(traceparent).toBe(`00-${last.spanContext().traceId}-${last.spanContext().spanId}-01`);

    // Replayed by hand (as the DLQ tools do: same body and headers, back to the queue), the
    // new attempt continues the trace under the attempt that failed for good.
    const replayed: string[] = [];
    await sub.unsubscribe();
    const replayQueue = uniqueName('trace-replay');
    queues.push(replayQueue);
    const replaySub = await ordersService.bus.subscribe('POISON_CHARGE', (e) => void replayed.push(e.id), { queue: replayQueue });
    await raw.publish('', replayQueue, deadLetter.content, {
      contentType: deadLetter.properties.contentType,
      messageId: deadLetter.properties.messageId,
      headers: { traceparent },
    });
    await waitFor(() => replayed.includes(event.id) && processSpansOf(event.id).length === 3, { message: 'replayed attempt' });
    const replay = processSpansOf(event.id).find((s) => s.attributes['messaging.destination.subscription.name'] === replayQueue)!;
    expect(replay.parentSpanContext?.spanId).toBe(last.spanContext().spanId);
    expect(replay.spanContext().traceId).toBe(publishSpanOf(event.id)!.spanContext().traceId);
    await replaySub.unsubscribe();
  });

  it.each([
    ['not a traceparent at all', 'garbage', 1],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`, 2],
    ['upper-case hex', `00-${'A'.repeat(32)}-${'B'.repeat(16)}-01`, 3],
  ])('ignores a malformed traceparent (%s): the handler runs in a new trace', async (_label, bad, n) => {
    const type = `BAD_TRACE_${n}`;
    const got: string[] = [];
    await subscribe(billingService, type, (e) => void got.push(e.id));
    const id = uniqueName('bad-trace');
    const body = JSON.stringify({ specversion: '1.0', id, source: 'foreign', type, data: {}, traceparent: bad });
    await raw.publish(topology.exchange, type, body, { contentType: CLOUDEVENTS_CONTENT_TYPE, headers: { traceparent: bad } });
    await waitFor(() => got.includes(id) && processSpansOf(id).length === 1, { message: 'handled in a new trace' });
    const [span] = processSpansOf(id);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.links).toEqual([]);
  });
});
