/**
 * Child process of the collab bench: forwards every TCP connection on a port to another address,
 * byte for byte — the hop a client pays when the node it reached is not the one owning its
 * document and has to forward its WebSocket there.
 */
import net from 'node:net';
import { stopWhenAsked } from './stop-when-asked.ts';

const [port, host, targetPort] = process.argv.slice(2);
const server = net.createServer((client) => {
  client.setNoDelay(true);
  const upstream = net.connect({ host, port: Number(targetPort) }, () => upstream.setNoDelay(true));
  client.pipe(upstream).pipe(client);
  const end = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on('error', end);
  upstream.on('error', end);
  client.on('close', end);
  upstream.on('close', end);
});
await new Promise<void>((resolve) => server.listen(Number(port), '127.0.0.1', resolve));
stopWhenAsked(() => new Promise((resolve) => server.close(() => resolve())));
process.send!({ listening: Number(port) });
