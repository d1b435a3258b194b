// Load generator for the runtime bench: GETs a path over a unix socket, in its own process so the bench's heap does not skew latencies.
//   node dist/bench/api-load.js SOCKET PATH REQUESTS IN_FLIGHT   → prints {"rate","p50","p99"} as one JSON line
import { Agent, request } from 'node:http';

export interface LoadFigures {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function get(agent: Agent, socketPath: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = request({ socketPath, path, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - began) : reject(new Error(`${path} answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function main(untrustedArgs: string[]): Promise<void> {
  const [socketPath, path, requestsText, inFlightText] = untrustedArgs;
  const requests = Number(requestsText);
  const inFlight = Number(inFlightText);
  if (!socketPath || !path || !(requests > 0) || !(inFlight > 0)) throw new Error('usage: api-load SOCKET PATH REQUESTS IN_FLIGHT');
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  for (let i = 0; i < 500; i++) await get(agent, socketPath, path); // warm-up: JIT and keep-alive sockets
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < requests) latencies.push(await get(agent, socketPath, path));
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  agent.destroy();
  const figures: LoadFigures = { rate: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  console.log(JSON.stringify(figures));
}

await main(process.argv.slice(2));
