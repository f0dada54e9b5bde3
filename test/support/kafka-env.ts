/**
 * Where integration tests find the broker: KAFKA_BROKERS, and nothing else. There is no default
 * address on purpose: a test run uses the broker it was told about (npm run test:all starts one
 * and sets the variable), never whatever happens to listen on 9092.
 */
export function kafkaBrokers(): string[] {
  return parseBrokers(process.env.KAFKA_BROKERS);
}

export function parseBrokers(value: string | undefined): string[] {
  const brokers = (value ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (brokers.length === 0) {
    throw new Error(
      'KAFKA_BROKERS is not set: run `npm run test:all` (it starts a broker of its own), or point KAFKA_BROKERS at a running broker (e.g. KAFKA_BROKERS=127.0.0.1:9092 after `npm run kafka:start`).',
    );
  }
  return brokers;
}
