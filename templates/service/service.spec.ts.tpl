import { TestBed } from '{{package}}/testing';
import { {{Class}} } from './{{name}}';
import { {{Entity}}Decisions, {{Entity}}Requests } from './{{name}}-topics';

describe('{{name}}', () => {
  let bed: TestBed;
  beforeEach(async () => {
    bed = await TestBed.start([{{Class}}]);
  });
  afterEach(() => bed.stop());

  it('accepts small requests and refuses large ones', async () => {
    await bed.send({{Entity}}Requests, { id: 'r-1', amount: 40 });
    await bed.send({{Entity}}Requests, { id: 'r-2', amount: 400 });
    await bed.drain();
    expect(bed.topic({{Entity}}Decisions).values()).toEqual([
      { id: 'r-1', accepted: true },
      { id: 'r-2', accepted: false },
    ]);
  });

  it('sends a request that breaks the schema to the dead-letter topic', async () => {
    await bed.sendRaw({{Entity}}Requests, { key: 'r-3', value: JSON.stringify({ id: 'r-3' }) });
    await bed.drain();
    expect(bed.deadLetters({{Entity}}Requests).count).toBe(1);
    expect(bed.topic({{Entity}}Decisions).count).toBe(0);
  });
});
