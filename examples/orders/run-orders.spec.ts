import { runOrders } from './run-orders';

describe('the orders demo', () => {
  // Each run starts PGlite for the read model: seconds, more on a busy machine.
  jest.setTimeout(120_000);
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
    expect(lines).toContainEqual(expect.stringMatching(/^\nemails: o-1 -> customer1@example.com/));
  });

  it('ends with the orders table of the read model, one row per order in its final state', async () => {
    const lines: string[] = [];
    await runOrders((line) => lines.push(line), { validatedTimeoutMs: 50 });
    const heading = lines.indexOf(
      "\norders table (the read model's replica, in PGlite: PostgreSQL inside this process):",
    );
    expect(heading).toBeGreaterThan(0);
    const rows = lines.slice(heading + 1);
    // Each journey line ends with the state the orders service answered: `=> VALIDATED`.
    const finalStates = lines
      .map((l) => /^(o-\d): CREATED .*=> (?:still )?([A-Z]+)/.exec(l))
      .filter((match) => match !== null)
      .map(([, id, state]) => `${id} ${state}`);
    expect(finalStates).toHaveLength(7);
    expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(finalStates);
    expect(rows).toEqual([
      '  o-1  VALIDATED  JUMPERS x2 @ 25  customer 1',
      '  o-2  VALIDATED  JUMPERS x0 @ 0  customer 2',
      '  o-3  FAILED     JUMPERS x4 @ 500  customer 3',
      '  o-4  FAILED     UNDERPANTS x-1 @ -5  customer 4',
      '  o-5  FAILED     JUMPERS x5 @ 10  customer 1',
      '  o-6  VALIDATED  JUMPERS x4 @ 10  customer 1',
      '  o-7  CREATED    STOCKINGS x1 @ 10  customer 2',
    ]);
  });

  it('ends with a table per service from GET /metrics when asked to', async () => {
    const lines: string[] = [];
    await runOrders((line) => lines.push(line), { validatedTimeoutMs: 50, metrics: true });
    const table = lines.slice(lines.indexOf('\nmetrics (GET /metrics):') + 1);
    const row = (service: string): number[] =>
      (table.find((l) => l.trim().startsWith(`${service} `)) ?? '')
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
    expect(table[0].trim().split(/\s+/)).toEqual([
      'service',
      'handled',
      'retried',
      'dead-lettered',
      'published',
    ]);
    // One payment per order, one record per demo customer and per stocked product.
    expect(row('payments-service')).toEqual([0, 0, 0, 7]);
    expect(row('customers-service')).toEqual([0, 0, 0, 4]);
    expect(row('warehouse-service')).toEqual([0, 0, 0, 2]);
    // Seven orders created and six decided: 13 order records, one details check per order.
    expect(row('order-details-service')).toEqual([13, 0, 0, 7]);
  });

  it('prints no metrics table and no traces by default', async () => {
    const lines: string[] = [];
    await runOrders((line) => lines.push(line), { validatedTimeoutMs: 50 });
    expect(lines.some((l) => l.includes('GET /metrics'))).toBe(false);
    expect(lines.some((l) => l.includes('traces'))).toBe(false);
  });

  it('ends with one trace per order, through every service the order reached, when asked to', async () => {
    const lines: string[] = [];
    await runOrders((line) => lines.push(line), { validatedTimeoutMs: 50, trace: true });
    const traces = lines.slice(lines.findIndex((l) => l.startsWith('\ntraces')) + 1);
    const all =
      'email-service, fraud-service, inventory-service, order-details-service, orders-service';
    expect(traces).toHaveLength(7);
    for (const [index, line] of traces.entries()) {
      expect(line).toMatch(
        new RegExp(`^o-${index + 1}: one trace from POST /v1/orders: \\d+ publishes`),
      );
    }
    // o-1 is decided and emailed: every service handles it within the POST's one trace.
    expect(traces[0]).toContain(`handled by ${all} `);
    // The payment is published outside any request: a trace of its own.
    expect(traces[0]).toMatch(/\(1 more trace has its records\)$/);
  });
});
