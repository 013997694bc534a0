// A headless Chromium (Debian's, through playwright-core) as a real client peer: reads {"url"} lines on stdin, opens
// a WebSocket from a page, follows the plan, and prints what its CloseEvent reports.
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
process.stdout.write(JSON.stringify({ ready: browser.version() }) + '\n');

for await (const line of createInterface({ input: process.stdin })) {
  const { url } = JSON.parse(line);
  const result = await page.evaluate((url) => new Promise((resolve) => {
    const plan = JSON.parse(new URL(url).searchParams.get('s'));
    const ws = new WebSocket(url);
    ws.onopen = () => {
      if (plan.kind === 'peer-closes') {
        if (plan.code == null) ws.close(); else ws.close(plan.code, plan.reason);
      } else if (plan.kind === 'simultaneous') {
        ws.send('close');
        ws.close(plan.peerCode, plan.peerReason);
      }
    };
    ws.onclose = (e) => resolve({ id: plan.id, code: e.code, reason: e.reason, wasClean: e.wasClean });
  }), url);
  process.stdout.write(JSON.stringify(result) + '\n');
}
await browser.close();
