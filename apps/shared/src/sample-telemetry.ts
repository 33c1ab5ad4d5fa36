import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/**
 * Registers a tracing SDK for a sample service when the standard `OTEL_TRACES_EXPORTER`
 * variable asks for `console`: spans of the bus (and of anything else using
 * `@opentelemetry/api`) are printed to stdout, and W3C trace context crosses services through
 * the events. Unset or `none`: nothing is registered and the bus does no tracing work.
 * A real deployment registers its own SDK and exporter (OTLP, ...) the same way, before Nest starts.
 */
export function startSampleTelemetry(env: NodeJS.ProcessEnv = process.env): (() => Promise<void>) | undefined {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '').split(',').map((e) => e.trim());
  if (!exporters.includes('console') || /^true$/i.test(env.OTEL_SDK_DISABLED ?? '')) return undefined;
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  return () => provider.shutdown();
}
