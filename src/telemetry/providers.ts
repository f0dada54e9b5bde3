import type { Meter, Tracer } from '@opentelemetry/api';
import { createNoopMeter, metrics, ProxyTracerProvider, trace } from '@opentelemetry/api';

/** The instrumentation scope streamwise's spans and metrics are reported under. */
export const INSTRUMENTATION_NAME = 'streamwise';

/**
 * The tracer of the tracer provider the app registered, or undefined when none is: the record path
 * asks once (when a service or server is built) and then skips every span and attribute, so an
 * app without an OpenTelemetry SDK pays nothing per record.
 */
export function registeredTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  if (provider instanceof ProxyTracerProvider) {
    return provider.getDelegateTracer(INSTRUMENTATION_NAME);
  }
  return provider.getTracer(INSTRUMENTATION_NAME);
}

const NOOP_METER = createNoopMeter().constructor;

/** The meter of the meter provider the app registered, or undefined when none is. */
export function registeredMeter(): Meter | undefined {
  const meter = metrics.getMeterProvider().getMeter(INSTRUMENTATION_NAME);
  return meter.constructor === NOOP_METER ? undefined : meter;
}
