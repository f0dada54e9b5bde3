/** Where integration tests find the broker: KAFKA_BROKERS, or the local script's default. */
export function kafkaBrokers(): string[] {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv !== undefined && fromEnv.trim() !== '')
    return fromEnv.split(',').map((b) => b.trim());
  return [`127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`];
}
