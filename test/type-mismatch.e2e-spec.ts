import { DeadLetterService, type EventEnvelope } from 'nestjs-event-bus';
import { RawAmqp } from './support/raw-amqp';
import { startService, testOptions, type TestService } from './support/event-bus-app';
import { uniqueName, uniqueTopology } from './support/test-names';
import { waitFor } from './support/wait-for';

/** A message routed by one type that says it is another never reaches a handler. */
describe('routing key and event type disagree', () => {
  const topology = uniqueTopology('type-mismatch');
  const name = uniqueName('orders');
  const queue = `${name}.ORDER_PLACED`;
  let service: TestService;
  let raw: RawAmqp;

  beforeAll(async () => {
    raw = await RawAmqp.connect();
    service = await startService(testOptions(name, topology));
  });

  afterAll(async () => {
    await service?.close();
    await raw.cleanupTopology(topology, [queue]);
    await raw.close();
  });

  it('dead-letters it at once, naming both types, and handles the next well-formed event', async () => {
    const handled: string[] = [];
    await service.bus.subscribe('ORDER_PLACED', (event: EventEnvelope) => void handled.push(`${event.type}/${event.id}`));
    const cloudEvent = { specversion: '1.0', id: 'wrong-1', source: 'raw-producer', type: 'ORDER_CANCELLED', data: {} };
    await raw.publish(topology.exchange, 'ORDER_PLACED', JSON.stringify(cloudEvent), {
      messageId: 'wrong-1',
      contentType: 'application/cloudevents+json',
    });
    // A plain JSON message whose AMQP type disagrees with its routing key, likewise.
    await raw.publish(topology.exchange, 'ORDER_PLACED', JSON.stringify({ orderId: 2 }), { messageId: 'wrong-2', type: 'ORDER_SHIPPED' });
    const good = await service.bus.publish({ type: 'ORDER_PLACED', data: { orderId: 3 } });
    await waitFor(() => handled.length === 1, { message: 'the well-formed event' });
    expect(handled).toEqual([`ORDER_PLACED/${good.id}`]);

    const deadLetters = service.app.get(DeadLetterService);
    await waitFor(async () => (await deadLetters.count(queue)) === 2, { message: 'two dead letters' });
    const letters = await deadLetters.list(queue);
    expect(letters.map((l) => [l.eventId, l.errorName, l.attempts])).toEqual([
      ['wrong-1', 'EventTypeMismatchError', 1],
      ['wrong-2', 'EventTypeMismatchError', 1],
    ]);
    expect(letters[0].error).toMatch(
      /Event type "ORDER_CANCELLED" on .*ORDER_PLACED, which takes "ORDER_PLACED" \(routing key "ORDER_PLACED"\)/,
    );
    expect(letters[1].error).toMatch(/Event type "ORDER_SHIPPED"/);
  });
});
