import { TransactionTurns } from './transaction-turns';

describe('TransactionTurns', () => {
  it('gives one turn at a time, in the order they were asked for', async () => {
    const turns = new TransactionTurns();
    const log: string[] = [];
    const holder = async (name: string, work: () => Promise<void>): Promise<void> => {
      const end = await turns.take();
      log.push(`${name} starts`);
      await work();
      log.push(`${name} ends`);
      end();
    };
    let releaseA: () => void = () => undefined;
    const aHolds = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const a = holder('a', () => aHolds);
    const b = holder('b', () => Promise.resolve());
    const c = holder('c', () => Promise.resolve());
    // b and c wait while a holds its turn, however many ticks pass.
    for (let tick = 0; tick < 10; tick++) await Promise.resolve();
    expect(log).toEqual(['a starts']);
    releaseA();
    await Promise.all([a, b, c]);
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends', 'c starts', 'c ends']);
  });

  it('ends a turn once, however often its end is called', async () => {
    const turns = new TransactionTurns();
    const first = await turns.take();
    first();
    first();
    const second = await turns.take();
    let thirdTaken = false;
    const third = turns.take().then((end) => {
      thirdTaken = true;
      return end;
    });
    for (let tick = 0; tick < 10; tick++) await Promise.resolve();
    expect(thirdTaken).toBe(false);
    second();
    (await third)();
    expect(thirdTaken).toBe(true);
  });
});
