/**
 * What the local servers (the Dyplsapi sandbox, the FC HTTP gateway, the FC invoke API) share: listening on
 * loopback with every connection tracked, so that closing one leaves no open handle, and comparing secrets.
 */
import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Listening {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Every open connection, for servers that need to act on them. */
  sockets: ReadonlySet<Socket>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

export async function listenTracked(server: http.Server, options: { port?: number; host?: string } = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let accepted = 0;
  server.on('connection', (s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    connections: () => accepted,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Compares a presented secret (signature, token) with the expected one in constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
