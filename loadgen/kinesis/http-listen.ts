/** Starting and stopping the local HTTP servers (the embedded Kinesis and the limiting layer in front of it). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on 127.0.0.1 (`port` 0 = any free port) and resolves with the port taken. */
export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    // Keep-alive sockets would hold close() open.
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
