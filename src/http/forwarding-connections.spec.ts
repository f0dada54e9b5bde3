import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { waitFor } from '../../test/support/wait-for';
import { Query } from '../decorators/query';
import { readQueries } from '../decorators/read-queries';
import { SilentLogger } from '../logging/silent-logger';
import type { InstanceAddress, InstanceDirectory } from './instance-directory';
import { QueryServer } from './query-server';

class Orders {
  @Query('GET /orders/:id')
  get(id: string) {
    return { id, servedBy: 'A' };
  }
}

/** The owner: a plain HTTP server that answers every forwarded request and counts its sockets. */
class Owner {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  connections = 0;

  constructor() {
    this.server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ url: request.url, servedBy: 'B' }));
    });
    this.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('connections from a forwarding instance to the owner', () => {
  let owner: Owner;
  let forwarder: QueryServer;

  afterEach(async () => {
    await forwarder.stop();
    await owner.stop();
  });

  it('are kept alive across forwarded requests and closed when the forwarding server stops', async () => {
    owner = new Owner();
    const ownerUrl = await owner.start();
    const directory: InstanceDirectory = {
      self: { instanceId: 'A' },
      holderOf: (): InstanceAddress => ({ instanceId: 'B', url: ownerUrl }),
      onChange: () => () => undefined,
    };
    forwarder = new QueryServer({ logger: new SilentLogger(), directory });
    forwarder.mount('orders-service', new Orders(), readQueries(Orders), {
      routing: { get: () => ({ topic: 'orders', partition: 0 }) },
    });
    const { url } = await forwarder.start();

    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${url}/orders/o-${i}`);
      expect(await response.json()).toEqual({ url: `/orders/o-${i}`, servedBy: 'B' });
    }
    expect(owner.connections).toBe(1);

    await forwarder.stop();
    // Long before any keep-alive timeout (4-5 s): the forwarder closes its idle sockets itself.
    await waitFor(() => owner.sockets.size === 0, 'the forwarder to close its connection', {
      timeoutMs: 1_500,
    });
  });
});
