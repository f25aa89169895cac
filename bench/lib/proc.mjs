// Processes for the bench: start with their output kept and timestamped, wait for a line, read CPU and
// memory from /proc, stop by pid. Only processes this bench started are ever stopped.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import net from 'node:net';
import { EventEmitter } from 'node:events';

const clockTicks = (() => {
  try { return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100; } catch { return 100; }
})();

export const now = () => performance.timeOrigin + performance.now(); // ms since the epoch, sub-ms precision

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitPort(port, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (true) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a process; its stdout and stderr lines go to `logPath` with a timestamp, and to `lines`
 * listeners as { line, at } (at: ms since the epoch when the bench read it).
 */
export function start(name, command, args, { cwd, env, logPath } = {}) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = new EventEmitter();
  lines.setMaxListeners(50);
  const log = logPath ? createWriteStream(logPath) : null;
  const history = [];
  for (const [stream, tag] of [[child.stdout, ''], [child.stderr, 'err: ']]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const at = now();
      const parts = (rest + chunk).split('\n');
      rest = parts.pop();
      for (const line of parts) {
        const entry = { line: tag + line, at };
        history.push(entry);
        if (history.length > 2000) history.shift();
        log?.write(`${new Date(at).toISOString()} ${entry.line}\n`);
        lines.emit('line', entry);
      }
    });
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { log?.end(); resolve({ code, signal, at: now() }); }));
  const p = { name, child, pid: child.pid, lines, history, exited, startedAt: now(), done: false };
  exited.then(() => { p.done = true; });
  return p;
}

/** Resolves with the first line matching `pattern` ({ line, at, match }); rejects if the process exits or the time runs out. */
export function waitLine(p, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const onLine = (entry) => {
      const match = pattern.exec(entry.line);
      if (match) { cleanup(); resolve({ ...entry, match }); }
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${p.name}: no line matching ${pattern} within ${timeoutMs / 1000} s\n${tail(p)}`)); }, timeoutMs);
    const cleanup = () => { clearTimeout(timer); p.lines.off('line', onLine); };
    p.lines.on('line', onLine);
    p.exited.then(({ code, signal }) => { cleanup(); reject(new Error(`${p.name} exited (${code ?? signal}) before a line matching ${pattern}\n${tail(p)}`)); });
  });
}

export const tail = (p, n = 25) => p.history.slice(-n).map((e) => `  ${e.line}`).join('\n');

/** SIGTERM, then SIGKILL after `graceMs`; this pid only. */
export async function stop(p, graceMs = 15_000) {
  if (!p || p.done) return;
  try { process.kill(p.pid, 'SIGTERM'); } catch { return; }
  const timer = setTimeout(() => { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
  await p.exited;
  clearTimeout(timer);
}

/** CPU seconds (user + system; with its waited-for children too) and memory (KiB) of one process, from /proc; null when it is gone. */
export function readProc(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from #3 (state) on
    const cpu = (Number(fields[11]) + Number(fields[12])) / clockTicks; // utime #14, stime #15
    const children = (Number(fields[13]) + Number(fields[14])) / clockTicks; // cutime #16, cstime #17: children waited for
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { cpu, cpuWithChildren: cpu + children, rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN) };
  } catch {
    return null;
  }
}

/** The whole machine's CPU: busy and total jiffies since boot (all processes, other engineers' included). */
export function machineCpu() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + (n[4] ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** Samples a process every `everyMs`: { t, cpu, rssKiB, hwmKiB } until stopped or gone. */
export function sample(pid, everyMs, onSample) {
  const samples = [];
  const take = () => {
    const s = readProc(pid);
    if (!s) return;
    const entry = { t: now(), ...s };
    samples.push(entry);
    onSample?.(entry);
  };
  take();
  const timer = setInterval(take, everyMs);
  return { samples, take, stop: () => clearInterval(timer) };
}

/**
 * Client connections to a local port, from /proc/net/tcp: sampled every `everyMs`, it keeps the most open at
 * once and every distinct client port seen (≈ connections opened, as each new connection takes a new port).
 */
export function watchConnections(port, everyMs = 500) {
  const seen = new Set();
  let most = 0;
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const take = () => {
    let open = 0;
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      let text = '';
      try { text = readFileSync(file, 'utf8'); } catch { continue; }
      for (const line of text.split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        if (f.length < 4 || f[3] !== '01') continue; // ESTABLISHED
        const [, remotePort] = f[2].split(':');
        if (remotePort !== hex) continue;
        open++;
        seen.add(f[1]);
      }
    }
    most = Math.max(most, open);
  };
  take();
  const timer = setInterval(take, everyMs);
  return { stop: () => { clearInterval(timer); take(); return { mostOpen: most, distinctClientPorts: seen.size }; } };
}
