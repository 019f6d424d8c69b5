/**
 * `npm run bench:queue`: the branch queue's HTTP API under load, against the PostgreSQL that
 * DATABASE_URL names.
 *
 * - Creates a scratch database next to DATABASE_URL's (dropped at the end; BENCH_KEEP_DB=true
 *   keeps it), migrates it, seeds the demo bank plus BENCH_BRANCHES extra branches, each with the
 *   default services and counters, counter 1 open for every service.
 * - Starts the real server (buildApp + listen) in a child process, with the dispatcher running,
 *   and a floor route registered through buildApp's `extraRoutes`: it inserts one row and reads it
 *   back — the cheapest useful request of the same framework, pool and database.
 * - Drives it over keep-alive HTTP from this process with BENCH_CONCURRENCY requests in flight:
 *   the floor and the queue in BENCH_ROUNDS alternating segments (BENCH_SECONDS each in total,
 *   after BENCH_WARMUP_SECONDS of each), so that both meet the same load from other jobs on a
 *   shared machine and their ratio measures the code. A queue worker walks its branches in turn
 *   and plays one customer per visit: issue (kiosk, Idempotency-Key, X-Forwarded-For of the branch) → status
 *   read → call next → status read → start → finish: 6 operations, 4 of them state changes.
 * - Display boards of BENCH_DISPLAYS branches listen on the SSE stream; call_to_display is the
 *   time from sending "call next" to the board receiving that ticket's `call` event.
 * - Per phase it also reports the CPU time per operation of the server process, its database
 *   backends and this client (from /proc when the database runs on this machine), the statements
 *   per operation and the server's event-loop delay: cpu_ratio_to_floor compares cost, not speed.
 *   BENCH_CPU_PROF=<dir> profiles the server; BENCH_TRACE_STATEMENTS / BENCH_LOG_STATEMENTS=true
 *   count its statements or have PostgreSQL log their durations.
 *
 * Details go to stderr; stdout gets ONE JSON line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@serviceloop/domain';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { z } from 'zod';
import { buildApp } from '../packages/server/src/app.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { migrate } from '../packages/server/src/db/migrate.ts';
import { defineRoute } from '../packages/server/src/http/route.ts';
import { newId } from '../packages/server/src/ids.ts';
import { seedQueueDemo } from '../packages/server/src/queue/seed.ts';
import { DEMO_PASSWORD, seedDemo } from '../packages/server/src/seed/demo.ts';

const BRANCHES = Number(process.env.BENCH_BRANCHES ?? 200);
/**
 * Requests in flight. 16 saturate the server on 2 cores (one Node process at ~85 % of a core);
 * more only queue inside it: 32 gave the same or fewer operations per second at twice the
 * latency (docs/performance.md has the sweep).
 */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
/** The floor and the queue run in this many alternating segments (SECONDS each in total). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const DISPLAYS = Number(process.env.BENCH_DISPLAYS ?? 16);
const POOL = Number(process.env.BENCH_DB_POOL ?? 20);
/** The server's LOG_LEVEL ('info' logs every request, as a default production server does). */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'silent';
/** BENCH_DISPATCHER=false measures without the outbox dispatcher (boards then use the local fast path only). */
const DISPATCHER = process.env.BENCH_DISPATCHER !== 'false';
/** BENCH_FLOOR=false runs the queue alone (to profile it); the ratio is then not measured. */
const FLOOR = process.env.BENCH_FLOOR !== 'false';

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function fail(message: string): never {
  log(`bench:queue: ${message}`);
  process.exit(1);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// ------------------------------------------------------------------------------------------
// Server side (child process)

async function serve(url: string): Promise<void> {
  // Counts the statements the server sends (every pool or listener query goes through Client#query).
  let statements = 0;
  // BENCH_TRACE_STATEMENTS=true prints the most frequent statement texts when the server stops.
  const trace = process.env.BENCH_TRACE_STATEMENTS === 'true' ? new Map<string, number>() : undefined;
  let connects = 0;
  const connect = pg.Client.prototype.connect as (...args: unknown[]) => unknown;
  pg.Client.prototype.connect = function (this: pg.Client, ...args: unknown[]) {
    connects++;
    return connect.apply(this, args);
  } as typeof pg.Client.prototype.connect;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    if (trace) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first?.text ?? '?'))
        .replace(/\s+/g, ' ')
        .slice(0, 160);
      trace.set(text, (trace.get(text) ?? 0) + 1);
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const database = await openDatabase({ url, poolMax: POOL });
  const config = { ...loadConfig({ LOG_LEVEL: LOG_LEVEL, SEED_DEMO: 'false' }), dbPoolMax: POOL };
  const app = await buildApp({
    database,
    config,
    clock: systemClock,
    serveWeb: false,
    extraRoutes: (ctx) => [
      defineRoute({
        method: 'POST',
        url: '/api/v1/bench/floor',
        access: 'public',
        summary: 'Benchmark floor: insert one row, read it back',
        tags: ['bench'],
        body: z.strictObject({ payload: z.string().max(100) }),
        response: z.object({ id: z.string(), payload: z.string().optional() }),
        handler: async ({ body }) => {
          const [row] = await ctx.database.rows<{ id: string }>(
            sql`insert into bench_floor (payload, at) values (${body.payload}, now()) returning id`,
          );
          const [back] = await ctx.database.rows<{ id: string; payload: string }>(
            sql`select id, payload from bench_floor where id = ${row?.id}`,
          );
          return { id: String(back?.id), payload: back?.payload };
        },
      }),
    ],
  });
  if (DISPATCHER) await app.ctx.dispatcher.start();
  await app.fastify.listen({ host: '127.0.0.1', port: 0 });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ port });
  // How long requests waited for the event loop (a handler that blocks it delays every request).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  process.on('message', async (m) => {
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({
        cpuMs: (u.user + u.system) / 1000,
        statements,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
        connects,
      });
      loop.reset();
    }
    if (m === 'stop') {
      if (trace) {
        for (const [text, n] of [...trace].sort((a, b) => b[1] - a[1]).slice(0, 25)) log(`${n}\t${text}`);
      }
      app.fastify.server.closeAllConnections();
      await app.fastify.close();
      await app.ctx.dispatcher.stop();
      await database.close();
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------------------------------
// Setup

async function prepareDatabase(adminUrl: string, name: string): Promise<string[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  await admin.query(`create database ${pg.escapeIdentifier(name)}`);
  // BENCH_LOG_STATEMENTS=true: the database server logs every statement's duration (for profiling).
  if (process.env.BENCH_LOG_STATEMENTS === 'true') {
    await admin.query(`alter database ${pg.escapeIdentifier(name)} set log_min_duration_statement = 0`);
  }
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url });
  await migrate(database);
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const app = await buildApp({ database, config, clock: systemClock, serveWeb: false });
  await seedDemo(app.ctx, 40);
  const [region] = await database.rows<{ id: string; path: string; depth: number }>(
    sql`select id, path, depth from org_units where code = 'NORTH'`,
  );
  if (!region) fail('demo seed has no NORTH region');
  const now = new Date();
  for (let i = 0; i < BRANCHES; i++) {
    const id = newId();
    await database.db.execute(sql`
      insert into org_units (id, parent_id, kind, code, name, name_en, time_zone, path, depth, active, created_at, updated_at)
      values (${id}, ${region.id}, 'branch', ${`BENCH-${i}`}, ${`压测支行${i}`}, ${`Bench branch ${i}`},
              'Asia/Shanghai', ${`${region.path}${id}/`}, ${region.depth + 1}, true, ${now}, ${now})`);
  }
  await seedQueueDemo(app.ctx);
  // Counter 1 of every branch is open and serves every service, so no ticket is left behind.
  await database.db.execute(
    sql`update queue_counters set state = 'open', skills = '{cash,personal,corporate,wealth}' where number = 1`,
  );
  await database.db.execute(
    sql`create table bench_floor (id bigserial primary key, payload text not null, at timestamptz not null)`,
  );
  const branches = await database.rows<{ id: string }>(
    sql`select id from org_units where code like 'BENCH-%' order by code`,
  );
  await app.fastify.close();
  await database.close();
  return branches.map((b) => b.id);
}

// ------------------------------------------------------------------------------------------
// Client

interface Response {
  readonly status: number;
  readonly body: string;
  /** The response's header block as received (the bench reads only `set-cookie` from it). */
  readonly head: string;
}

/** One keep-alive HTTP/1.1 connection with at most one request outstanding. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: Response) => void; reject: (e: Error) => void } | undefined;
  closed = false;

  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const end = (error: Error) => {
      this.closed = true;
      const p = this.pending;
      this.pending = undefined;
      p?.reject(error);
    };
    socket.on('error', end);
    socket.on('close', () => end(new Error('connection closed')));
  }

  send(request: string, body: Buffer | undefined): Promise<Response> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(body ? Buffer.concat([Buffer.from(request, 'latin1'), body]) : request, 'latin1');
    });
  }

  /** Completes the pending request once its whole response is buffered (Content-Length or chunked). */
  private parse(): void {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.pending) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const start = headEnd + 4;
    let body: string;
    let rest: number;
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length) {
      rest = start + Number(length[1]);
      if (this.buffer.length < rest) return;
      body = this.buffer.toString('utf8', start, rest);
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = start;
      for (;;) {
        const lineEnd = this.buffer.indexOf('\r\n', at);
        if (lineEnd < 0) return;
        const size = Number.parseInt(this.buffer.toString('latin1', at, lineEnd), 16);
        if (this.buffer.length < lineEnd + 2 + size + 2) return;
        if (size === 0) {
          rest = lineEnd + 4;
          break;
        }
        parts.push(this.buffer.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString('utf8');
    } else {
      rest = start;
      body = '';
    }
    this.buffer = this.buffer.subarray(rest);
    const p = this.pending;
    this.pending = undefined;
    p.resolve({ status: Number(head.slice(9, 12)), body, head });
  }
}

/**
 * The load generator: keep-alive HTTP/1.1 over plain sockets, one request per connection at a
 * time. It shares the machine's two cores with the server and the database, so it is kept lean:
 * node:http's client cost about as much CPU per request as a quarter of the server's.
 */
class Client {
  private readonly free: Connection[] = [];
  private readonly all = new Set<Connection>();
  constructor(private readonly port: number) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    let head = `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1:${this.port}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (payload) head += `content-type: application/json\r\ncontent-length: ${payload.length}\r\n`;
    head += '\r\n';
    let connection = this.free.pop();
    while (connection?.closed) connection = this.free.pop();
    if (!connection) connection = await this.open();
    const response = await connection.send(head, payload);
    if (/\r\nconnection: *close/i.test(response.head)) connection.socket.destroy();
    else this.free.push(connection);
    return response;
  }

  private open(): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: this.port }, () => {
        socket.off('error', reject);
        const connection = new Connection(socket);
        this.all.add(connection);
        resolve(connection);
      });
      socket.once('error', reject);
    });
  }

  close(): void {
    for (const c of this.all) c.socket.destroy();
  }
}

/** The first `set-cookie` header's `name=value`. */
function cookieOf(response: Response): string {
  const match = /\r\nset-cookie: *([^;\r]*)/i.exec(response.head);
  return match?.[1] ?? '';
}

class Recorder {
  readonly latencies: number[] = [];
  errors = 0;
  firstError: string | undefined;
  recording = false;

  readonly byName = new Map<string, number[]>();

  async time<T extends Response>(op: () => Promise<T>, expect: readonly number[], name = 'op'): Promise<T> {
    const start = performance.now();
    const res = await op();
    const ms = performance.now() - start;
    if (this.recording) {
      let list = this.byName.get(name);
      if (!list) {
        list = [];
        this.byName.set(name, list);
      }
      list.push(ms);
    }
    if (!expect.includes(res.status)) {
      this.errors++;
      this.firstError ??= `${res.status} ${res.body.slice(0, 300)}`;
    }
    if (this.recording) this.latencies.push(ms);
    return res;
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] as number;
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** CPU milliseconds spent so far by the server process, its database backends and this client. */
interface CpuSample {
  readonly server: number;
  readonly database: number;
  readonly client: number;
  /** Statements the server sent to the database so far. */
  readonly statements: number;
}

/** CPU ms per operation over the recording window: what a phase costs, whatever else the machine runs. */
interface CpuPerOp {
  readonly statements: number;
  readonly server: number;
  readonly database: number;
  readonly client: number;
  readonly total: number;
}

interface PhaseResult {
  readonly opsPerS: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: CpuPerOp | undefined;
}

type Worker = (w: number, running: () => boolean) => Promise<void>;

/**
 * One kind of load (the floor or the queue), measured in segments that alternate with the other
 * kind's, so both see the same machine: on a shared machine the load of other jobs moves within
 * seconds, and a ratio of two phases taken one after the other measured that as much as the code.
 */
class Phase {
  private elapsedS = 0;
  private readonly cpuSum = { statements: 0, server: 0, database: 0, client: 0 };
  private cpuKnown = true;

  constructor(
    readonly name: string,
    readonly recorder: Recorder,
    private readonly cpu: () => Promise<CpuSample | undefined>,
    private readonly worker: Worker,
  ) {}

  /** Runs the workers for `warmupS` unrecorded, then `seconds` recorded, then stops them. */
  async segment(seconds: number, warmupS: number): Promise<void> {
    let running = true;
    const workers = Array.from({ length: CONCURRENCY }, (_, w) => this.worker(w, () => running));
    if (warmupS > 0) await new Promise((r) => setTimeout(r, warmupS * 1000));
    const cpu0 = await this.cpu();
    this.recorder.recording = true;
    const start = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    this.recorder.recording = false;
    this.elapsedS += (performance.now() - start) / 1000;
    const cpu1 = await this.cpu();
    running = false;
    await Promise.all(workers);
    if (cpu0 && cpu1) {
      this.cpuSum.statements += cpu1.statements - cpu0.statements;
      this.cpuSum.server += cpu1.server - cpu0.server;
      this.cpuSum.database += cpu1.database - cpu0.database;
      this.cpuSum.client += cpu1.client - cpu0.client;
    } else {
      this.cpuKnown = false;
    }
  }

  result(): PhaseResult {
    const sorted = [...this.recorder.latencies].sort((a, b) => a - b);
    const n = Math.max(1, sorted.length);
    const c = this.cpuSum;
    const perOp = this.cpuKnown
      ? {
          statements: round(c.statements / n, 2),
          server: round(c.server / n, 3),
          database: round(c.database / n, 3),
          client: round(c.client / n, 3),
          total: round((c.server + c.database + c.client) / n, 3),
        }
      : undefined;
    const result = {
      opsPerS: sorted.length / this.elapsedS,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      cpu: perOp,
    };
    const r = this.recorder;
    log(
      `${this.name}: ${sorted.length} ops in ${round(this.elapsedS, 1)} s = ${round(result.opsPerS, 0)} ops/s, p50 ${round(result.p50)} ms, p99 ${round(result.p99)} ms, errors ${r.errors}${r.firstError ? ` (first: ${r.firstError})` : ''}`,
    );
    if (perOp) {
      log(
        `${this.name}: per op: ${perOp.statements} database statements; CPU ms: server ${perOp.server}, database ${perOp.database}, client ${perOp.client}, total ${perOp.total} (server ${round((c.server / (this.elapsedS * 1000)) * 100, 0)}% of a core)`,
      );
    }
    return result;
  }
}

/** utime + stime of a process in ms from /proc (Linux, database on this machine), or undefined. */
function procCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

interface Display {
  readonly seen: Map<string, number>;
  close(): void;
}

function openDisplay(port: number, branchId: string): Promise<Display> {
  const seen = new Map<string, number>();
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/api/v1/branches/${branchId}/display/stream`,
        headers: { accept: 'text/event-stream', 'x-forwarded-for': `10.250.${branchId.charCodeAt(30)}.1` },
      },
      (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`display stream answered ${res.statusCode}`));
          return;
        }
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const message = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (message.includes('event: call')) {
              const data = message.split('\n').find((l) => l.startsWith('data: '));
              if (data) {
                const parsed = JSON.parse(data.slice(6)) as { ticketId: string };
                seen.set(parsed.ticketId, at);
              }
            }
            end = buffer.indexOf('\n\n');
          }
        });
        res.on('error', () => undefined);
        resolve({ seen, close: () => req.destroy() });
      },
    );
    req.on('error', () => undefined);
  });
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) fail('set DATABASE_URL to a PostgreSQL server (postgres://…)');
  const name = `serviceloop_bench_${process.pid}`;
  log(`setting up ${name}: demo bank + ${BRANCHES} branches …`);
  const branches = await prepareDatabase(adminUrl, name);
  const url = withDatabase(adminUrl, name);

  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server process there (open it in Chrome DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, ...profile, fileURLToPath(import.meta.url), '--serve', url],
    {
      // With BENCH_LOG_LEVEL the server logs as in production, to /dev/null (stdout stays one JSON line).
      stdio: ['ignore', LOG_LEVEL === 'silent' ? 'inherit' : 'ignore', 'inherit', 'ipc'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  log(`server on 127.0.0.1:${port} (child ${child.pid}), pool ${POOL}, ${CONCURRENCY} requests in flight`);
  const client = new Client(port);
  const serverCpuMs = () =>
    new Promise<{
      cpuMs: number;
      statements: number;
      loopP99Ms: number;
      loopMaxMs: number;
      connects: number;
    }>((resolve) => {
      const onMessage = (m: unknown) => {
        if (typeof m === 'object' && m !== null && 'cpuMs' in m) {
          child.off('message', onMessage);
          resolve(
            m as {
              cpuMs: number;
              statements: number;
              loopP99Ms: number;
              loopMaxMs: number;
              connects: number;
            },
          );
        }
      };
      child.on('message', onMessage);
      child.send('cpu');
    });
  // The server's database backends (its pool and its LISTEN connection), to charge their CPU too.
  const backendsOf = async (): Promise<number[]> => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const result = await admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await admin.end();
    return result.rows.map((r) => r.pid);
  };
  // Last CPU reading per backend: one that went away (pool shrinking) keeps its last value.
  const backendCpu = new Map<number, number>();
  const cpu = async (): Promise<CpuSample | undefined> => {
    if (procCpuMs(process.pid) === undefined) return undefined; // no /proc here
    for (const pid of await backendsOf()) if (!backendCpu.has(pid)) backendCpu.set(pid, 0);
    for (const pid of backendCpu.keys()) {
      const ms = procCpuMs(pid);
      if (ms !== undefined) backendCpu.set(pid, ms);
    }
    let database = 0;
    for (const ms of backendCpu.values()) database += ms;
    const own = process.cpuUsage();
    const server = await serverCpuMs();
    log(
      `  (server event loop delay since the last sample: p99 ${round(server.loopP99Ms)} ms, max ${round(server.loopMaxMs)} ms; ${server.connects} database connections opened so far)`,
    );
    return {
      server: server.cpuMs,
      database,
      client: (own.user + own.system) / 1000,
      statements: server.statements,
    };
  };
  let exitCode = 0;
  try {
    // Floor: same framework, same pool, one insert and one select per request.
    const floorRec = new Recorder();
    const floorPhase = new Phase('floor', floorRec, cpu, async (w, running) => {
      while (running()) {
        await floorRec.time(() => client.request('POST', '/api/v1/bench/floor', { payload: `w${w}` }), [200]);
      }
    });

    const signIn = await client.request('POST', '/api/v1/auth/sign-in', {
      username: 'admin',
      password: DEMO_PASSWORD,
    });
    if (signIn.status !== 200) fail(`sign-in failed: ${signIn.status} ${signIn.body}`);
    const cookie = cookieOf(signIn);
    const csrf = (JSON.parse(signIn.body) as { csrfToken: string }).csrfToken;
    const staff = { cookie, 'x-csrf-token': csrf };

    const counterOf = new Map<string, string>();
    for (const b of branches) {
      const overview = await client.request('GET', `/api/v1/branches/${b}/queue`, undefined, staff);
      if (overview.status !== 200) fail(`overview failed: ${overview.status} ${overview.body}`);
      const counters = (JSON.parse(overview.body) as { counters: { id: string; number: number }[] }).counters;
      counterOf.set(b, counters.find((c) => c.number === 1)?.id as string);
    }
    const displays = await Promise.all(branches.slice(0, DISPLAYS).map((b) => openDisplay(port, b)));
    const displayOf = new Map(branches.slice(0, DISPLAYS).map((b, i) => [b, displays[i] as Display]));
    const callSent = new Map<string, { at: number; display: Display }>();

    const rec = new Recorder();
    let customers = 0;
    const services = ['cash', 'personal', 'corporate', 'wealth'];
    const queuePhase = new Phase('queue', rec, cpu, async (w, running) => {
      const mine = branches.filter((_, i) => i % CONCURRENCY === w);
      let k = 0;
      while (running()) {
        const branch = mine[k % mine.length] as string;
        const ip = { 'x-forwarded-for': `10.${(k * 7 + w) % 200}.${w}.${k % 250}` };
        k++;
        const counter = counterOf.get(branch) as string;
        const issued = await rec.time(
          () =>
            client.request(
              'POST',
              `/api/v1/branches/${branch}/tickets`,
              { serviceCode: services[k % 4] },
              { ...ip, 'idempotency-key': `bench-${w}-${k}-${newId()}` },
            ),
          [201],
          'issue',
        );
        if (issued.status !== 201) continue;
        const ticketId = (JSON.parse(issued.body) as { ticket: { id: string } }).ticket.id;
        await rec.time(
          () => client.request('GET', `/api/v1/tickets/${ticketId}`, undefined, ip),
          [200],
          'status',
        );
        const sentAt = performance.now();
        const called = await rec.time(
          () => client.request('POST', `/api/v1/branches/${branch}/counters/${counter}/call-next`, {}, staff),
          [200],
          'call',
        );
        if (called.status !== 200) continue;
        const ticket = (JSON.parse(called.body) as { ticket: { id: string } | null }).ticket;
        if (!ticket) continue;
        const display = displayOf.get(branch);
        if (display && rec.recording) callSent.set(ticket.id, { at: sentAt, display });
        await rec.time(
          () => client.request('GET', `/api/v1/tickets/${ticket.id}`, undefined, ip),
          [200],
          'status',
        );
        const base = `/api/v1/branches/${branch}/tickets/${ticket.id}`;
        await rec.time(() => client.request('POST', `${base}/start`, {}, staff), [200], 'start');
        await rec.time(
          () => client.request('POST', `${base}/finish`, { outcome: 'completed' }, staff),
          [200],
          'finish',
        );
        if (rec.recording) customers++;
      }
    });
    // Warm both up, then alternate ROUNDS segments of each; figures add up over the segments.
    const segment = SECONDS / ROUNDS;
    for (let r = 0; r < ROUNDS; r++) {
      if (FLOOR) await floorPhase.segment(segment, r === 0 ? WARMUP_SECONDS : 0.5);
      await queuePhase.segment(segment, r === 0 ? WARMUP_SECONDS : 0.5);
    }
    const floor = floorPhase.result();
    const queue = queuePhase.result();
    for (const [opName, list] of rec.byName) {
      const sorted = [...list].sort((a, b) => a - b);
      log(
        `  ${opName}: n ${sorted.length}, p50 ${round(percentile(sorted, 0.5))} ms, p99 ${round(percentile(sorted, 0.99))} ms`,
      );
    }
    // Let the last call events reach the boards.
    await new Promise((r) => setTimeout(r, 1500));
    const lags: number[] = [];
    let missing = 0;
    for (const [ticketId, { at, display }] of callSent) {
      const seen = display.seen.get(ticketId);
      if (seen === undefined) missing++;
      else lags.push(seen - at);
    }
    lags.sort((a, b) => a - b);
    log(
      `display: ${lags.length} calls seen on ${DISPLAYS} boards, ${missing} missing, p50 ${round(percentile(lags, 0.5))} ms, p99 ${round(percentile(lags, 0.99))} ms; ${customers} customers served`,
    );
    for (const d of displays) d.close();
    if (rec.errors > 0 || floorRec.errors > 0) exitCode = 1;
    process.stdout.write(
      `${JSON.stringify({
        ops_per_s: round(queue.opsPerS, 0),
        p50_ms: round(queue.p50),
        p99_ms: round(queue.p99),
        floor_ops_per_s: round(floor.opsPerS, 0),
        ratio_to_floor: round(queue.opsPerS / floor.opsPerS, 3),
        branches: BRANCHES,
        call_to_display_p99_ms: round(percentile(lags, 0.99)),
        call_to_display_p50_ms: round(percentile(lags, 0.5)),
        floor_p99_ms: round(floor.p99),
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        errors: rec.errors + floorRec.errors,
        display_missing: missing,
        ...(queue.cpu && floor.cpu
          ? {
              cpu_ms_per_op: queue.cpu.total,
              floor_cpu_ms_per_op: floor.cpu.total,
              cpu_ratio_to_floor: round(floor.cpu.total / queue.cpu.total, 3),
            }
          : {}),
      })}\n`,
    );
  } finally {
    client.close();
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    if (process.env.BENCH_KEEP_DB !== 'true') {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await admin.end();
    }
  }
  process.exit(exitCode);
}

if (process.argv[2] === '--serve') {
  serve(process.argv[3] as string).catch((error: unknown) => {
    log(`bench:queue server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    log(`bench:queue: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  });
}
