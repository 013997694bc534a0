// What a peer does in each scenario; shared by the Node ws peer and the browser peer (which inlines its own copy,
// since it runs in the page). The plan comes from the URL's "s" parameter, written by the .NET driver.
import { randomBytes } from 'node:crypto';

export function planOf(url) {
  return JSON.parse(new URL(url, 'ws://127.0.0.1').searchParams.get('s'));
}

// A raw close frame with a hex payload, masked when a client sends it (RFC 6455 §5.3).
export function rawClose(hex, masked) {
  const payload = Buffer.from(hex, 'hex');
  if (!masked) return Buffer.concat([Buffer.from([0x88, payload.length]), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), key, body]);
}

// Drives a ws WebSocket through the plan and resolves with what ws reports on its 'close' event.
export function drive(ws, plan, isServer) {
  return new Promise((resolve) => {
    const opened = () => {
      switch (plan.kind) {
        case 'peer-closes':
          if (plan.code == null) ws.close(); else ws.close(plan.code, plan.reason);
          break;
        case 'simultaneous':
          ws.send('close');
          ws.close(plan.peerCode, plan.peerReason);
          break;
        case 'peer-vanishes':
          ws.terminate();
          break;
        case 'peer-malformed':
          ws._socket.write(rawClose(plan.malformed, !isServer));
          break;
        case 'server-keeps-tcp':
          // A server that never closes TCP after the closing handshake: the client's timer must end it (§7.1.1).
          // It closes its half only once the client's FIN has come.
          {
            const end = ws._socket.end.bind(ws._socket);
            ws._socket.end = function () { return this; };
            ws._socket.once('end', () => end());
          }
          break;
      }
    };
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({
      id: plan.id,
      code,
      reason: reason.toString(),
      // ws has no wasClean; this is the same fact from its own state: close frames went both ways.
      wasClean: ws._closeFrameSent && ws._closeFrameReceived,
    }));
    if (ws.readyState === 1) opened(); else ws.on('open', opened);
  });
}
