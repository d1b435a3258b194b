// Owns a fault-injecting fake QMP server on a unix socket, for faults real QEMU cannot produce on demand (the rest is tested against QEMU).
import { createServer, type Server, type Socket } from 'node:net';

export type FakeQmpFault =
  /** Behaves like QEMU 7.2 (within what the tests use). */
  | 'none'
  /** Accepts the connection and never greets, like QEMU towards a second client. */
  | 'no-greeting'
  /** The first line is JSON but not a greeting. */
  | 'bad-greeting'
  /** Negotiates capabilities, then never answers again. */
  | 'hang'
  /** Writes the first half of a reply, then closes the connection. */
  | 'close-mid-reply'
  /** Answers with a line that is not JSON. */
  | 'garbage-line'
  /** Answers with a JSON object that is not a QMP message. */
  | 'not-qmp'
  /** Answers every command with a result no schema accepts. */
  | 'wrong-shape'
  /** Answers with one line of `oversizeBytes` bytes. */
  | 'oversized-line'
  /** Answers after `slowMs`. */
  | 'slow-reply'
  /** Keeps replies until release(). */
  | 'held-replies'
  /** Keeps replies until two commands wait, then answers the later one first. */
  | 'out-of-order';

export interface FakeQmpRequest {
  readonly execute: string;
  readonly arguments?: Record<string, unknown>;
  readonly id: unknown;
}

/** What a custom answer may do instead of the built-in QEMU-like behaviour. */
export type FakeAnswer = { return: unknown } | { error: { class: string; desc: string } } | { raw: string } | 'silence';

export interface FakeQmpPeerOptions {
  /** Faults apply after qmp_capabilities succeeds (except the greeting faults), so the client connects first. */
  fault?: FakeQmpFault;
  slowMs?: number;
  oversizeBytes?: number;
  /** Overrides the built-in answer of a command; return undefined to keep it. */
  answer?: (request: FakeQmpRequest) => FakeAnswer | undefined;
}

export interface FakeQmpPeer {
  readonly path: string;
  /** Every command received, in order (qmp_capabilities included). */
  readonly requests: FakeQmpRequest[];
  /** Connections accepted so far. */
  connections(): number;
  setFault(fault: FakeQmpFault): void;
  /** Sends an event to every connected client. */
  emitEvent(name: string, data?: Record<string, unknown>): void;
  /** Sends raw text to every connected client. */
  sendRaw(text: string): void;
  /** Sends the replies held by 'held-replies'. */
  release(): void;
  close(): Promise<void>;
}

export const FAKE_GREETING = { QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'fake-qmp-peer' }, capabilities: ['oob'] } };

interface FakeJob {
  id: string;
  type: string;
  status: string;
  error?: string;
}

export async function startFakeQmpPeer(path: string, options: FakeQmpPeerOptions = {}): Promise<FakeQmpPeer> {
  let fault: FakeQmpFault = options.fault ?? 'none';
  const requests: FakeQmpRequest[] = [];
  const conns = new Set<Socket>();
  let accepted = 0;
  const held: Array<() => void> = [];
  const jobs = new Map<string, FakeJob>();
  let running = false;

  const send = (conn: Socket, message: unknown): void => {
    if (!conn.destroyed) conn.write(`${JSON.stringify(message)}\r\n`);
  };
  const event = (conn: Socket, name: string, data?: Record<string, unknown>): void => {
    const now = Date.now();
    const timestamp = { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
    send(conn, data === undefined ? { timestamp, event: name } : { timestamp, event: name, data });
  };
  const jobEvent = (conn: Socket, job: FakeJob, status: string): void => {
    job.status = status;
    event(conn, 'JOB_STATUS_CHANGE', { status, id: job.id });
  };

  /** QEMU-like behaviour: events a command causes go out before its reply, as QEMU 7.2 does. */
  const builtin = (conn: Socket, request: FakeQmpRequest): FakeAnswer => {
    const args = request.arguments ?? {};
    switch (request.execute) {
      case 'qmp_capabilities':
      case 'system_powerdown':
      case 'system_reset':
      case 'quit':
        return { return: {} };
      case 'query-status':
        return { return: { status: running ? 'running' : 'prelaunch', singlestep: false, running } };
      case 'query-version':
        return { return: FAKE_GREETING.QMP.version };
      case 'query-name':
        return { return: {} };
      case 'stop':
        running = false;
        event(conn, 'STOP');
        return { return: {} };
      case 'cont':
        running = true;
        event(conn, 'RESUME');
        return { return: {} };
      case 'query-jobs':
        return { return: [...jobs.values()].map((job) => ({ 'current-progress': 1, 'total-progress': 1, ...job })) };
      case 'job-dismiss': {
        const job = jobs.get(String(args['id']));
        if (job === undefined || job.status !== 'concluded') return { error: { class: 'GenericError', desc: `Job '${String(args['id'])}' not found or not concluded` } };
        jobs.delete(job.id);
        jobEvent(conn, job, 'null');
        return { return: {} };
      }
      case 'snapshot-save':
      case 'snapshot-load':
      case 'snapshot-delete':
        return startJob(conn, request.execute, String(args['job-id']), String(args['tag']));
      case 'human-monitor-command':
        return { return: `fake: ${String(args['command-line'])}\r\n` };
      default:
        return { error: { class: 'CommandNotFound', desc: `The command ${request.execute} has not been found` } };
    }
  };

  /**
   * Tag "missing" fails, "later" concludes after the reply, "never" never concludes; any other tag
   * concludes before the reply (a fast job: the order a client is most likely to get wrong).
   */
  const startJob = (conn: Socket, type: string, id: string, tag: string): FakeAnswer => {
    if (jobs.has(id)) return { error: { class: 'GenericError', desc: `Job ID '${id}' already in use` } };
    const job: FakeJob = { id, type, status: 'created' };
    jobs.set(id, job);
    jobEvent(conn, job, 'created');
    jobEvent(conn, job, 'running');
    if (tag === 'missing') {
      job.error = `Snapshot '${tag}' does not exist in one or more devices`;
      jobEvent(conn, job, 'aborting');
      jobEvent(conn, job, 'concluded');
    } else if (tag === 'later') {
      setTimeout(() => jobEvent(conn, job, 'concluded'), 20);
    } else if (tag !== 'never') {
      jobEvent(conn, job, 'waiting');
      jobEvent(conn, job, 'pending');
      jobEvent(conn, job, 'concluded');
    }
    return { return: {} };
  };

  const reply = (conn: Socket, request: FakeQmpRequest, answer: FakeAnswer): void => {
    if (answer === 'silence') return;
    if ('raw' in answer) {
      if (!conn.destroyed) conn.write(answer.raw);
      return;
    }
    send(conn, { ...answer, id: request.id });
  };

  const onRequest = (conn: Socket, request: FakeQmpRequest): void => {
    requests.push(request);
    const custom = options.answer?.(request);
    const answer = custom ?? builtin(conn, request);
    if (request.execute === 'qmp_capabilities' && custom === undefined) {
      reply(conn, request, answer);
      return;
    }
    const line = JSON.stringify(answer === 'silence' || 'raw' in answer ? {} : { ...answer, id: request.id });
    switch (fault) {
      case 'hang':
        return;
      case 'close-mid-reply':
        conn.end(line.slice(0, Math.floor(line.length / 2)));
        return;
      case 'garbage-line':
        conn.write('this is not json {\r\n');
        return;
      case 'not-qmp':
        send(conn, { hello: 'world', id: request.id });
        return;
      case 'wrong-shape':
        send(conn, { return: { running: 'maybe', status: 42 }, id: request.id });
        return;
      case 'oversized-line':
        conn.write(`{"return": "${'x'.repeat(options.oversizeBytes ?? 1024)}"`);
        return;
      case 'slow-reply':
        setTimeout(() => reply(conn, request, answer), options.slowMs ?? 100);
        return;
      case 'held-replies':
        held.push(() => reply(conn, request, answer));
        return;
      case 'out-of-order':
        held.push(() => reply(conn, request, answer));
        if (held.length >= 2) for (const release of held.splice(0).reverse()) release();
        return;
      default:
        reply(conn, request, answer);
    }
  };

  const server: Server = createServer((conn) => {
    accepted++;
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => conn.destroy());
    if (fault === 'no-greeting') return;
    send(conn, fault === 'bad-greeting' ? { hello: 'not a greeting' } : FAKE_GREETING);
    let partial = '';
    conn.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      for (let nl = partial.indexOf('\n'); nl >= 0; nl = partial.indexOf('\n')) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        onRequest(conn, JSON.parse(line) as FakeQmpRequest);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });

  return {
    path,
    requests,
    connections: () => accepted,
    setFault: (next) => {
      fault = next;
    },
    emitEvent: (name, data) => {
      for (const conn of conns) event(conn, name, data);
    },
    sendRaw: (text) => {
      for (const conn of conns) conn.write(text);
    },
    release: () => {
      for (const release of held.splice(0)) release();
    },
    close: async () => {
      for (const conn of conns) conn.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
