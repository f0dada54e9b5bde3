import { runQuickstart } from './run-quickstart';

describe('the quickstart demo', () => {
  it('prints every movement, the reorder requests and the dead-lettered record', async () => {
    const lines: string[] = [];
    await runQuickstart((line) => lines.push(line));
    const output = lines.join('\n');
    expect(lines.filter((l) => l.startsWith('stock-movements['))).toHaveLength(7);
    expect(output).toMatch(
      /reorder-requests\[\d\]@0 +purchasing-service-ReorderRequest-boots-v1-[0-9A-Z]{26} +\{"sku":"boots","quantity":17,"levelAtRequest":3\}/,
    );
    expect(output).toMatch(
      /reorder-requests\[\d\]@\d +purchasing-service-ReorderRequest-scarves-v1/,
    );
    expect(output).toMatch(
      /stock-movements\.dlq\[\d\]@0 .*\{oops {2}<- undecodable: Cannot decode the value/,
    );
    // Three movements of one product are three events: each has its own id.
    const bootsIds = output.match(/warehouse-service-StockMovement-boots-v1-[0-9A-Z]{26}/g) ?? [];
    expect(bootsIds).toHaveLength(3);
    expect(new Set(bootsIds).size).toBe(3);
    expect(lines[lines.length - 1]).toBe('\nlevels: boots=3 scarves=2');
  });
});
