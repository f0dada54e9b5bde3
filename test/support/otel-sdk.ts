import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** An OpenTelemetry SDK as an app would register it, with finished spans kept in memory. */
export interface TestTracing {
  readonly spans: () => ReadableSpan[];
  /** Unregisters the provider and the context manager (call in afterEach). */
  readonly stop: () => Promise<void>;
}

export function registerTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contexts = new AsyncLocalStorageContextManager().enable();
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(contexts);
  return {
    spans: () => exporter.getFinishedSpans(),
    stop: async () => {
      trace.disable();
      context.disable();
      await provider.shutdown();
    },
  };
}
