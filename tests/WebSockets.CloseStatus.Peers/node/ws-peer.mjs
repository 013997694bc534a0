// Node ws as a real peer. "server": listens on 127.0.0.1, prints {"port"}, then one JSON line per closed connection.
// "client": reads {"url"} lines on stdin, connects, and prints one JSON line per closed connection.
import { createInterface } from 'node:readline';
import { WebSocket, WebSocketServer } from 'ws';
import { drive, planOf } from './scenario.mjs';

const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const mode = process.argv[2];

if (mode === 'server') {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('listening', () => print({ port: server.address().port }));
  server.on('connection', async (ws, req) => print(await drive(ws, planOf(req.url), true)));
} else if (mode === 'client') {
  for await (const line of createInterface({ input: process.stdin })) {
    const { url } = JSON.parse(line);
    const plan = planOf(url);
    const ws = new WebSocket(url);
    print(await drive(ws, plan, false));
  }
} else {
  console.error('usage: node ws-peer.mjs server|client');
  process.exit(2);
}
