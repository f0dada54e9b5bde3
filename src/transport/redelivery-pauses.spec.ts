import { SilentLogger } from '../logging/silent-logger';
import type { FetchedBatch } from './fetched-batch';
import { RedeliveryPauses } from './redelivery-pauses';

const TARGET = { topic: 'orders', partition: 0 };

/** A fetched batch that only counts how often its partition was paused and resumed. */
function counting(): { payload: FetchedBatch; resumed: () => number } {
  let resumes = 0;
  const payload = { pause: () => () => void resumes++ } as unknown as FetchedBatch;
  return { payload, resumed: () => resumes };
}

describe('RedeliveryPauses', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const pauses = () => new RedeliveryPauses({ initialMs: 100, maxMs: 5_000 }, new SilentLogger());

  it('resumes a held partition when what it waited for happens, before its timer', () => {
    const subject = pauses();
    const held = counting();
    subject.hold(TARGET, 1_000, held.payload);
    subject.resumeHeld();
    expect(held.resumed()).toBe(1);
    jest.advanceTimersByTime(1_000);
    expect(held.resumed()).toBe(1);
  });

  it('does not cut short a redelivery that paused the partition after its hold ended', () => {
    const subject = pauses();
    const held = counting();
    subject.hold(TARGET, 100, held.payload);
    jest.advanceTimersByTime(100);
    expect(held.resumed()).toBe(1);

    const redelivery = counting();
    subject.schedule(TARGET, 7, new Error('boom'), redelivery.payload);
    subject.resumeHeld();
    expect(redelivery.resumed()).toBe(0);
    jest.advanceTimersByTime(100);
    expect(redelivery.resumed()).toBe(1);
  });
});
