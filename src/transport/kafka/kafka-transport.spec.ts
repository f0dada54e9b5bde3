import { ConfigurationError } from '../../errors/configuration-error';
import { TransportClosedError } from '../../errors/transport-closed-error';
import { SilentLogger } from '../../logging/silent-logger';
import { KafkaTransport } from './kafka-transport';

describe('KafkaTransport without a broker', () => {
  const transport = new KafkaTransport({ brokers: ['127.0.0.1:1'], logger: new SilentLogger() });

  it('is the kafka transport', () => {
    expect(transport.kind).toBe('kafka');
  });

  it('validates its options in the constructor', () => {
    expect(() => new KafkaTransport({ brokers: [] })).toThrow(ConfigurationError);
  });

  it('refuses every operation before connect() with TransportClosedError', async () => {
    const record = { key: null, value: null, partition: 0 };
    await expect(transport.produce('t', [record])).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.listTopics()).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.describeTopic('t')).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.endOffsets('t')).rejects.toBeInstanceOf(TransportClosedError);
    await expect(transport.committedOffsets('g', 't')).rejects.toBeInstanceOf(TransportClosedError);
    await expect(
      transport.subscribe({
        groupId: 'g',
        topics: ['t'],
        offsetReset: 'earliest',
        handle: () => Promise.resolve(),
      }),
    ).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('disconnect() without connect() is a no-op', async () => {
    await expect(transport.disconnect()).resolves.toBeUndefined();
  });
});
