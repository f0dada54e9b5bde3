import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

/**
 * Runs `work` with an OpenTelemetry SDK registered as an app would (tracer provider and
 * AsyncLocalStorage context manager). Every span is sampled, recorded and ended, but no processor
 * exports it: the figure is streamwise's tracing cost, not an exporter's.
 */
export async function withTracerProvider<T>(work: () => Promise<T>): Promise<T> {
  const provider = new BasicTracerProvider();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  try {
    return await work();
  } finally {
    trace.disable();
    context.disable();
    await provider.shutdown();
  }
}
