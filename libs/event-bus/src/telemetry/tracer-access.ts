import { ProxyTracerProvider, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION } from './instrumentation-scope';

/**
 * The API's no-op provider: what a provider without a delegate hands out. Nothing in the public
 * API names it, but a fresh `ProxyTracerProvider` returns exactly that singleton.
 */
const NOOP_PROVIDER: TracerProvider = new ProxyTracerProvider().getDelegate();

let cache: { delegate: TracerProvider; tracer: Tracer } | undefined;

/**
 * The library's tracer, or undefined while no tracing SDK is registered. This is the gate of
 * every span and every trace-context header: without an SDK the publish and consume paths do no
 * tracing work at all (one global lookup and a comparison), and the wire stays byte for byte
 * what it was. The tracer is looked up again whenever the registered provider changes.
 */
export function activeTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  if (delegate === NOOP_PROVIDER) return undefined;
  if (cache?.delegate !== delegate) cache = { delegate, tracer: delegate.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION) };
  return cache.tracer;
}
