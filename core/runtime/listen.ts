import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StartupError } from './data-dir-lock';

/**
 * Binds the runtime's listener. A port that is taken (or not ours to bind) is a StartupError that names the
 * address, so the CLI can say so and exit 3 instead of printing the bare `listen EADDRINUSE`.
 *
 * @example
 * const address = await listen(server, 8080, '127.0.0.1'); // rejects: "port 8080 on 127.0.0.1 is already in use"
 */
export function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  if (err.code === 'EADDRINUSE') return new StartupError(`port ${port} on ${host} is already in use`, 'port_in_use');
  if (err.code === 'EACCES') return new StartupError(`no permission to listen on port ${port} on ${host}`, 'listen_failed');
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new StartupError(`cannot listen on ${host}: no such address on this machine`, 'listen_failed');
  return new StartupError(`cannot listen on port ${port} on ${host}: ${err.message}`, 'listen_failed');
}
