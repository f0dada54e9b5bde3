import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The server's connections and which of them are answering a request, so stop() can end the
 * others. Node's closeIdleConnections skips connections that never sent a request (clients open
 * spare ones: fetch does right after an abort), and those would hold stop() until the client
 * drops them.
 */
export class OpenConnections {
  readonly #sockets = new Set<Socket>();
  /** Requests in progress per socket (more than one only with pipelining). */
  readonly #busy = new Map<Socket, number>();
  #draining = false;

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#busy.delete(socket);
      });
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.#busy.set(socket, (this.#busy.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const left = (this.#busy.get(socket) ?? 1) - 1;
        if (left > 0) {
          this.#busy.set(socket, left);
          return;
        }
        this.#busy.delete(socket);
        if (this.#draining) socket.destroy();
      });
    });
  }

  /** Ends every connection that is idle now, and each of the others once its answer is sent. */
  drain(): void {
    this.#draining = true;
    for (const socket of this.#sockets) {
      if (!this.#busy.has(socket)) socket.destroy();
    }
  }
}
