import { DiagnosticSeverity, Parser } from '@asyncapi/parser';

import { runCli } from './run-cli';

describe('topology documents', () => {
  const output = { out: [] as string[], err: [] as string[] };
  const topology = async (...argv: string[]) => {
    output.out.length = 0;
    output.err.length = 0;
    const code = await runCli(['topology', 'examples/orders/services.ts', ...argv], {
      io: { out: (l) => output.out.push(l), err: (l) => output.err.push(l) },
      env: {},
      version: '9.9.9',
    });
    return { code, text: output.out.join('\n') };
  };

  it('writes an AsyncAPI 3.0 document the AsyncAPI parser accepts without errors', async () => {
    const { code, text } = await topology('--format', 'asyncapi');
    expect(code).toBe(0);
    const diagnostics = await new Parser().validate(text);
    expect(
      diagnostics.filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error)),
    ).toEqual([]);
    const document = JSON.parse(text) as {
      asyncapi: string;
      channels: Record<string, { messages: Record<string, { payload?: { schema: unknown } }> }>;
      operations: Record<string, { action: string }>;
    };
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.channels.orders.messages.Order.payload?.schema).toEqual(
      expect.objectContaining({ type: 'object' }),
    );
    expect(document.operations['orders-service.send.orders']).toEqual(
      expect.objectContaining({ action: 'send' }),
    );
    expect(document.operations['inventory-service.receive.orders']).toEqual(
      expect.objectContaining({ action: 'receive' }),
    );
  });

  it('draws a Mermaid flowchart and prints JSON', async () => {
    const mermaid = await topology('--format', 'mermaid');
    expect(mermaid.code).toBe(0);
    expect(mermaid.text.split('\n')).toEqual(
      expect.arrayContaining([
        'flowchart LR',
        '  s_orders_service["orders-service"]',
        '  t_orders[("orders")]',
        '  s_orders_service -->|writes| t_orders',
      ]),
    );
    const json = await topology('--format', 'json');
    const shape = JSON.parse(json.text) as {
      services: { name: string }[];
      topics: { name: string; owner: string }[];
    };
    expect(shape.services.map((s) => s.name)).toContain('orders-service');
    expect(shape.topics).toContainEqual(
      expect.objectContaining({ name: 'orders', owner: 'orders-service' }),
    );
    expect((await topology('--format', 'yaml')).code).toBe(2);
  });
});
