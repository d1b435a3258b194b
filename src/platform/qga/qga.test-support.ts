// Owns the fake qemu-ga the QGA tests talk to: a unix socket standing in for QEMU's chardev, answering each request line as a test says (a QEMU guest agent that lies or hangs cannot be had on demand).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QgaLink } from './qga-link.js';

export interface FakeQgaRequest {
  readonly execute: string;
  readonly arguments?: Record<string, unknown> & { id?: number };
  readonly id?: string;
}

export interface QgaBench {
  /** A scratch folder for sockets, removed by cleanup. */
  readonly dir: string;
  /** qemu-ga's answer to guest-sync-delimited: the 0xFF byte, then the id. */
  reply(id: unknown): Buffer;
  /** A fake QEMU chardev with qemu-ga behind it: `answer` decides what each request line gets back. */
  fakeAgent(name: string, answer: (request: FakeQgaRequest, socket: Socket) => void): Promise<{ path: string; requests: string[] }>;
  link(path: string, readyTimeoutMs: number): { link: QgaLink; events: string[]; next: () => Promise<string> };
  cleanup(): void;
}

export function qgaBench(): QgaBench {
  const dir = mkdtempSync(join(tmpdir(), 'rayos-qga-'));
  const servers: Server[] = [];
  const links: QgaLink[] = [];
  return {
    dir,
    reply: (id) => Buffer.concat([Buffer.from([0xff]), Buffer.from(`{"return": ${String(id)}}\n`)]),
    async fakeAgent(name, answer) {
      const path = join(dir, `${name}.sock`);
      const requests: string[] = [];
      const server = createServer((socket) => {
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString();
          for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
            const line = text.slice(0, end);
            text = text.slice(end + 1);
            requests.push(line);
            answer(JSON.parse(line) as FakeQgaRequest, socket);
          }
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(path, resolve));
      return { path, requests };
    },
    link(path, readyTimeoutMs) {
      const events: string[] = [];
      let wake: (() => void) | null = null;
      const push = (event: string) => {
        events.push(event);
        wake?.();
      };
      const made = new QgaLink({ socketPath: path, readyTimeoutMs, onReady: () => push('ready'), onNoAgent: () => push('no-agent') });
      links.push(made);
      made.open();
      const next = async (): Promise<string> => {
        const seen = events.length;
        while (events.length === seen) await new Promise<void>((resolve) => (wake = resolve));
        return events.at(-1)!;
      };
      return { link: made, events, next };
    },
    cleanup() {
      for (const made of links) made.close();
      for (const server of servers) server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
