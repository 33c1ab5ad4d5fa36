import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { extractTraceContext, isValidTraceparent } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const GOOD = `00-${TRACE}-${SPAN}-01`;

describe('isValidTraceparent', () => {
  it.each([GOOD, `01-${TRACE}-${SPAN}-00-future-field`, ` ${GOOD} `])('accepts %s', (value) => {
    expect(isValidTraceparent(value)).toBe(true);
  });

  it.each([
    ['garbage', 'garbage'],
    ['upper case', GOOD.toUpperCase()],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['version 00 with extra fields', `${GOOD}-extra`],
    ['short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s', (_label, value) => {
    expect(isValidTraceparent(value)).toBe(false);
  });
});

describe('extractTraceContext', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  const spanContextOf = (headers?: Record<string, unknown>, extensions?: Record<string, unknown>) =>
    trace.getSpanContext(extractTraceContext(headers, extensions));

  it('reads the AMQP header first, as text or bytes', () => {
    expect(spanContextOf({ traceparent: GOOD })?.spanId).toBe(SPAN);
    expect(spanContextOf({ traceparent: Buffer.from(GOOD) })?.traceId).toBe(TRACE);
  });

  it('falls back to the CloudEvent extension, with its tracestate', () => {
    const ctx = spanContextOf({}, { traceparent: GOOD, tracestate: 'vendor=1' });
    expect(ctx?.spanId).toBe(SPAN);
    expect(ctx?.traceState?.get('vendor')).toBe('1');
  });

  it('ignores a malformed header and uses the extension instead', () => {
    expect(spanContextOf({ traceparent: 'zz' }, { traceparent: GOOD })?.spanId).toBe(SPAN);
  });

  it('starts a new trace (no parent) when everything is malformed, without throwing', () => {
    expect(spanContextOf({ traceparent: 'zz' }, { traceparent: 7 })).toBeUndefined();
    expect(spanContextOf(undefined, undefined)).toBeUndefined();
  });
});
