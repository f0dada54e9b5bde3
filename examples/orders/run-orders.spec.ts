import { runOrders } from './run-orders';

describe('the orders demo', () => {
  it('prints every order’s journey from CREATED through its checks to its final state', async () => {
    const lines: string[] = [];
    await runOrders((line) => lines.push(line), { validatedTimeoutMs: 50 });
    const journey = (id: string) => lines.find((l) => l.startsWith(`${id}: `)) ?? '';
    expect(lines.filter((l) => / -> 201$/.test(l))).toHaveLength(7);
    for (const id of ['o-1', 'o-2', 'o-6'])
      expect(journey(id)).toMatch(/^o-\d: CREATED -> .* => VALIDATED$/);
    for (const id of ['o-3', 'o-4', 'o-5']) expect(journey(id)).toMatch(/=> FAILED$/);
    expect(journey('o-3')).toContain('FRAUD:FAIL');
    expect(journey('o-4')).toContain('ORDER_DETAILS:FAIL');
    expect(journey('o-5')).toContain('INVENTORY:FAIL');
    expect(journey('o-7')).toMatch(/^o-7: CREATED -> .*=> still CREATED \(504\)$/);
    expect(journey('o-7')).not.toContain('INVENTORY');
    // The demo says why o-7 is never decided, on the line after its journey.
    expect(lines[lines.indexOf(journey('o-7')) + 1]).toBe(
      '     why: no INVENTORY result: the warehouse has no stock record for STOCKINGS, so the ' +
        'inventory check never answers; an order is decided by one FAIL or by all three PASSes.',
    );
    for (const id of ['o-1', 'o-2', 'o-6']) expect(journey(id).match(/:PASS/g)).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^\nemails: o-1 -> customer1@example.com/);
  });
});
