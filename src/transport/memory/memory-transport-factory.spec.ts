import { ManualClock } from '../../clock/manual-clock';
import { ConfigurationError } from '../../errors/configuration-error';
import { memoryTransport } from './memory-transport-factory';

describe('memoryTransport()', () => {
  it('is a working in-process transport whose records follow the given clock', async () => {
    const clock = new ManualClock(1_000);
    const transport = memoryTransport({ clock });
    try {
      await transport.connect();
      await transport.createTopics([{ name: 'notes', partitions: 1, compacted: false }]);
      const [written] = await transport.produce('notes', [
        { key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 },
      ]);
      expect(written).toMatchObject({ topic: 'notes', partition: 0, offset: 0 });
      expect(await transport.endOffsets('notes')).toEqual([1]);
    } finally {
      await transport.disconnect();
    }
  });

  it('rejects a clock that is not one, naming the option and the value', () => {
    const notAClock = { clock: { now: 5 } } as unknown as Parameters<typeof memoryTransport>[0];
    expect(() => memoryTransport(notAClock)).toThrow(ConfigurationError);
    expect(() => memoryTransport(notAClock)).toThrow(
      'memoryTransport: clock must be a Clock (an object with now, sleep), got an object without now, sleep.',
    );
  });
});
