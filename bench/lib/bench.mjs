// The bench: the FunctionsCrawler (WebJobs host, as ./run.sh runs it) and the Crawlee reference crawler,
// each crawling the same Sandbox site, politely and unthrottled; prints and saves one table.
// bench/run.sh installs and builds, then runs this. Options: see usage() below.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareCsv, readCsv } from './csv.mjs';
import { freePort, machineCpu, now, readProc, sample, sleep, start, stop, tail, waitLine, waitPort, watchConnections } from './proc.mjs';
import { prices, priceCategory } from './prices.mjs';
import { storageRest } from './storage-rest.mjs';
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(benchDir, '..');
const sandboxDll = join(root, 'src/Sandbox/bin/Release/net10.0/FunctionsCrawler.Sandbox.dll');
const azuriteBin = join(root, 'node_modules/.bin/azurite');
const azuriteMain = join(root, 'node_modules/azurite/dist/src/azurite.js');
const queuePatch = join(benchDir, 'lib/azurite-queue-patch.cjs');
const crawleeScript = join(benchDir, 'crawlee/crawl.mjs');
// Azurite's well-known development account key: public and documented, not a secret.
const devKey = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

function usage() {
  return `Usage: bench/run.sh [options]
  --rate R            the polite crawl's limit, requests per second (default 20)
  --fast-rate R       the FunctionsCrawler's "unthrottled" limit (default 10000)
  --pages N           Sandbox pages per full category, and the crawl's max pages (default 10)
  --categories A,B    categories (default 说唱,华语,全部: ~1,000 playlists at 10 pages)
  --idle S            seconds of idle storage traffic measured after the polite crawl (default 20)
  --only WHO          ours | crawlee (default both)
  --runs WHICH        polite | fast (default both)
  --warm              first warm the Sandbox's cover cache with an unreported Crawlee crawl (for --runs fast)
  --count-fast        also count storage transactions in the unthrottled run (through the proxy)
  --soak              ~10,000 playlists (100 pages), unthrottled, RSS sampled every 2 s; reports the slope
  --soak-pages N      pages per category for --soak (default 100)
  --soak-minutes M    stop the soak after M minutes if it has not finished, and report what it did (default 15;
                      45 with --whole-site)
  --whole-site        with --soak: the whole Sandbox site (every category full, --soak-pages each, default 45: the
                      menu's 72 categories give 105,402 rows), started with POST /api/crawls {"categories":["all"],
                      "maxPages":0}, storage counted, status reads timed, the entity's state size read, the export
                      checked against the Sandbox's /_sandbox/expected
  --plain-azurite     with --whole-site: Azurite without lib/azurite-queue-patch.cjs (its queue scans then stall the
                      crawl once ~10,000 messages are queued; see bench/README.md)
  --results DIR       where the JSON and the table go (default bench/results)
  --keep              keep the temporary folders (logs, exports, Crawlee storage)
  --host-root DIR     run the host built in another checkout (its Release build and its host.json), e.g. a scratch
                      copy with a change to try; bench/run.sh builds only this repo, so build that copy first
  --host-env K=V      environment for the host only (repeatable), e.g. --host-env DOTNET_gcServer=0
  --label TEXT        a note saved with the results (what this run tried)`;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.help) { console.log(usage()); process.exit(0); }
const rate = Number(opts.rate ?? 20);
const fastRate = Number(opts['fast-rate'] ?? 10000);
const soak = Boolean(opts.soak);
const wholeSite = soak && Boolean(opts['whole-site']);
const pages = Number(soak ? opts['soak-pages'] ?? (wholeSite ? 45 : 100) : opts.pages ?? 10);
const categories = (opts.categories ?? '说唱,华语,全部').split(',').map((c) => c.trim()).filter(Boolean);
const idleSeconds = Number(opts.idle ?? 20);
const only = opts.only ?? 'both';
const which = opts.runs ?? 'both';
const resultsDir = resolve(opts.results ?? join(benchDir, 'results'));
const hostRoot = resolve(opts['host-root'] ?? root);
const hostDll = join(hostRoot, 'src/WebJobsHost/bin/Release/net10.0/FunctionsCrawler.WebJobsHost.dll');
const hostEnv = Object.fromEntries([].concat(opts['host-env'] ?? []).map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
const work = mkdtempSync(join(os.tmpdir(), 'fc-bench-'));
const started = [];
const log = (s) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

process.on('SIGINT', async () => { await stopAll(); process.exit(130); });
process.on('SIGTERM', async () => { await stopAll(); process.exit(143); });

try {
  await main();
} catch (e) {
  console.error(`bench failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  await stopAll();
  if (!opts.keep && process.exitCode !== 1) rmSync(work, { recursive: true, force: true });
  else console.log(`temporary files kept in ${work}`);
  process.exit(process.exitCode ?? 0); // no stray timer or socket keeps the bench alive
}

async function main() {
  for (const [path, what] of [[hostDll, 'the WebJobs host build'], [sandboxDll, 'the Sandbox build'], [azuriteBin, 'Azurite']])
    if (!existsSync(path)) throw new Error(`${what} is missing (${path}): run bench/run.sh, which installs and builds`);
  const machine = machineInfo();
  log(`machine: ${machine.nproc} cores (${machine.cpuModel}), ${machine.memory}; load ${machine.loadBefore}`);
  log(`work folder ${work}`);

  const site = await startSandbox(pages, wholeSite ? ['--Sandbox:AllPagesFull=true'] : []);
  const results = { date: new Date().toISOString(), machine, settings: { rate, fastRate, pages, categories: wholeSite ? ['all'] : categories, idleSeconds, soak, wholeSite, hostRoot, hostEnv, label: opts.label ?? null }, runs: {} };

  if (wholeSite) {
    results.settings.queuePatch = !opts['plain-azurite'];
    results.runs.wholeSite = await runWholeSite('whole-site', { rps: Number(opts.rate ?? fastRate), site, capMs: Number(opts['soak-minutes'] ?? 45) * 60_000 });
  } else if (soak) {
    results.runs.soak = await runSoak('soak', { rps: Number(opts.rate ?? fastRate), site, capMs: Number(opts['soak-minutes'] ?? 15) * 60_000 });
  } else {
    // Ours first at the polite rate: it also warms the Sandbox's cover cache, so every later run meets the same warm site.
    if (opts.warm) {
      log('warming the Sandbox (covers are drawn on first request, then cached)');
      await runCrawlee('warm-up', { rpm: 0, site });
    }
    if (only !== 'crawlee') {
      if (which !== 'fast') results.runs.oursPolite = await runOurs('ours-polite', { rps: rate, site, countStorage: true, idle: idleSeconds });
      if (which !== 'polite') results.runs.oursFast = await runOurs('ours-fast', { rps: fastRate, site, countStorage: Boolean(opts['count-fast']) });
    }
    if (only !== 'ours') {
      if (which !== 'fast') results.runs.crawleePolite = await runCrawlee('crawlee-polite', { rpm: Math.round(rate * 60), site });
      if (which !== 'polite') results.runs.crawleeFast = await runCrawlee('crawlee-fast', { rpm: 0, site });
    }
    const { oursFast, crawleeFast } = results.runs;
    if (oursFast?.csv && crawleeFast?.csv) results.sameOutput = compareCsv(oursFast.csv, crawleeFast.csv);
  }
  results.machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  await stop(site.process);

  const table = wholeSite ? wholeSiteTable(results) : soak ? soakTable(results) : mainTable(results);
  console.log('\n' + table);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-').slice(0, 19);
  const name = wholeSite ? 'whole-site' : soak ? 'soak' : 'bench';
  for (const file of [`${name}-${stamp}`, `${name}-latest`]) {
    writeFileSync(join(resultsDir, `${file}.json`), JSON.stringify(results, stripPaths, 2));
    writeFileSync(join(resultsDir, `${file}.md`), table + '\n');
  }
  log(`results in ${join(resultsDir, `${name}-latest.{json,md}`)}`);
}

// ---------------------------------------------------------------------------------------------------------
// The Sandbox, Azurite and the storage proxy

async function startSandbox(pagesPerCategory, extra = []) {
  const port = await freePort();
  const p = track(start('sandbox', 'dotnet', [sandboxDll, '--urls', `http://127.0.0.1:${port}`, `--Sandbox:PagesPerCategory=${pagesPerCategory}`, ...extra],
    { cwd: root, logPath: join(work, 'sandbox.log') }));
  await waitLine(p, /Sandbox site listening/, 60_000);
  const baseUrl = `http://127.0.0.1:${port}/`;
  log(`Sandbox on ${baseUrl} (${pagesPerCategory} pages per category${extra.length ? `, ${extra.join(' ')}` : ''})`);
  return {
    process: p, baseUrl, port,
    stats: async () => { const atMs = Date.now(); return { ...(await (await fetch(`${baseUrl}_sandbox/stats`)).json()), atMs }; },
    arrivals: async (sinceMs) => (await (await fetch(`${baseUrl}_sandbox/arrivals?sinceMs=${Math.floor(sinceMs)}`)).json()).arrivalsMs,
    expected: async (names, maxPages) => (await fetch(`${baseUrl}_sandbox/expected?categories=${encodeURIComponent(names.join(','))}&maxPages=${maxPages}`)).json(),
  };
}

async function startStorage(label, countStorage, { patchQueue = false } = {}) {
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  // With the queue patch Azurite runs under this Node with lib/azurite-queue-patch.cjs preloaded (see that file).
  const [command, prefix] = patchQueue ? [process.execPath, ['--require', queuePatch, azuriteMain]] : [azuriteBin, []];
  const azurite = track(start('azurite', command, [...prefix, '--silent', '--skipApiVersionCheck', '--disableTelemetry', '--inMemoryPersistence',
    '--blobHost', '127.0.0.1', '--blobPort', `${blob}`, '--queueHost', '127.0.0.1', '--queuePort', `${queue}`,
    '--tableHost', '127.0.0.1', '--tablePort', `${table}`], { cwd: root, logPath: join(work, `${label}-azurite.log`) }));
  for (const port of [blob, queue, table]) await waitPort(port);
  let ports = { blob, queue, table };
  let proxy = null;
  if (countStorage) {
    const front = { blob: await freePort(), queue: await freePort(), table: await freePort() };
    const control = await freePort();
    proxy = track(start('storage-proxy', process.execPath, [join(benchDir, 'lib/storage-proxy.mjs'),
      '--blob', `${front.blob}:${blob}`, '--queue', `${front.queue}:${queue}`, '--table', `${front.table}:${table}`, '--control', `${control}`],
    { logPath: join(work, `${label}-proxy.log`) }));
    await waitLine(proxy, /storage proxy ready/, 15_000);
    proxy.counts = async () => (await fetch(`http://127.0.0.1:${control}/counts`)).json();
    ports = front;
  }
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${devKey};`
    + `BlobEndpoint=http://127.0.0.1:${ports.blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${ports.queue}/devstoreaccount1;`
    + `TableEndpoint=http://127.0.0.1:${ports.table}/devstoreaccount1;`;
  // Reads by the bench itself go to Azurite directly, so the proxy does not count them.
  const direct = storageRest({ account: 'devstoreaccount1', key: devKey,
    endpoints: { blob: `http://127.0.0.1:${blob}`, queue: `http://127.0.0.1:${queue}`, table: `http://127.0.0.1:${table}` } });
  return { azurite, proxy, connectionString, direct };
}

// ---------------------------------------------------------------------------------------------------------
// One crawl by the FunctionsCrawler's WebJobs host

async function runOurs(label, { rps, site, countStorage, idle = 0, sampleEveryMs = 1000, timeoutMs = 20 * 60_000, capMs = 0 }) {
  log(`${label}: FunctionsCrawler at ${rps} req/s${countStorage ? ', storage counted' : ''}`);
  const storage = await startStorage(label, countStorage);
  const out = join(work, `${label}-out`);
  const port = await freePort();
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = otherCpu([site.process, storage.azurite, storage.proxy]);
  const load = os.loadavg()[0];
  const host = track(start('host', 'dotnet', [hostDll, '--settings-dir', hostRoot, `--AzureWebJobsStorage=${storage.connectionString}`,
    `--NetEase:BaseUrl=${site.baseUrl}`, `--NetEase:RequestsPerSecond=${rps}`, `--Crawler:Categories=${categories.join(',')}`,
    `--Crawler:MaxPages=${pages}`, '--Run:Crawl=true', '--Run:Once=false', '--Run:New=true', `--Run:Out=${out}`, '--Run:LineSeconds=1',
    '--Urls', `http://127.0.0.1:${port}`], { cwd: hostRoot, env: hostEnv, logPath: join(work, `${label}-host.log`) }));

  // Progress lines give the playlists finished over time (for the soak's RSS slope), at no cost to the host.
  const progress = [];
  host.lines.on('line', ({ line, at }) => {
    const m = /playlists (\d+)\/(\d+) done, (\d+) skipped, (\d+) failed/.exec(line);
    if (m) progress.push({ t: at, done: +m[1], discovered: +m[2], finished: +m[1] + +m[3] + +m[4] });
  });
  const sampler = sample(host.pid, sampleEveryMs);
  const connections = watchConnections(site.port);
  const counts = {};
  const snap = async (name) => { if (storage.proxy) counts[name] = await storage.proxy.counts(); };

  const exportedLine = waitLine(host, /^Exported (\d+) rows and (\d+) covers/, timeoutMs + 300_000);
  exportedLine.catch(() => {}); // a soak cut short never sees it
  const begun = await waitLine(host, /^Started crawl/, 120_000);
  const cpuAtStart = readProc(host.pid);
  await snap('start');
  // A soak may be cut short (--soak-minutes): then the figures are those of the playlists finished so far.
  const finishing = waitLine(host, /^\[(completed|failed)\]/, capMs || timeoutMs).then((line) => ({ line }), (error) => ({ error }));
  const first = await finishing;
  let completed, exported;
  if (first.line) {
    completed = first.line;
    if (completed.match[1] === 'failed') throw new Error(`${label}: the crawl failed\n${tail(host)}`);
    await snap('completed');
    exported = await exportedLine;
  } else if (capMs && !host.done) {
    const last = progress.at(-1) ?? { done: 0 };
    log(`${label}: stopped after ${capMs / 60_000} min with ${last.done} playlists done of ${last.discovered ?? '?'} discovered`);
    completed = exported = { at: now(), match: [null, String(last.done), '0'], cut: true };
  } else {
    throw first.error;
  }
  const atEnd = readProc(host.pid);
  const siteConnections = connections.stop();
  await snap('exported');
  const statsAfter = await site.stats();
  const machineBusy = busyShare(cpuBefore, machineCpu());
  const otherCpuSeconds = others();
  sampler.take();
  if (idle > 0 && storage.proxy) {
    log(`${label}: measuring ${idle} s of idle storage traffic`);
    await sleep(idle * 1000);
    await snap('idle');
  }
  sampler.stop();
  await stop(host);
  await stop(storage.proxy);
  await stop(storage.azurite);

  const rows = Number(exported.match[1]);
  const requests = siteWindow(statsBefore, statsAfter, rps, await site.arrivals(statsBefore.atMs));
  const crawlSeconds = (exported.at - begun.at) / 1000;
  const result = {
    label, rps, rows, covers: Number(exported.match[2]), stoppedEarly: Boolean(exported.cut), discovered: progress.at(-1)?.discovered, csv: join(out, 'playlists.csv'), load1: load, machineBusy,
    startupSeconds: (begun.at - host.startedAt) / 1000,
    crawlSeconds, totalSeconds: (exported.at - host.startedAt) / 1000,
    exportSeconds: (exported.at - completed.at) / 1000,
    playlistsPerSecond: rows / crawlSeconds,
    playlistsPerSecondFromProcessStart: rows / ((exported.at - host.startedAt) / 1000),
    site: requests,
    cpu: {
      total: atEnd.cpu, startup: cpuAtStart.cpu, crawl: atEnd.cpu - cpuAtStart.cpu,
      perThousandPlaylists: ((atEnd.cpu - cpuAtStart.cpu) / rows) * 1000,
      perThousandIncludingStartup: (atEnd.cpu / rows) * 1000,
      sandbox: otherCpuSeconds[0], azurite: otherCpuSeconds[1], proxy: otherCpuSeconds[2],
    },
    memory: { peakRssMiB: atEnd.hwmKiB / 1024, rssAtEndMiB: atEnd.rssKiB / 1024, threads: atEnd.threads },
    siteConnections,
    samples: sampler.samples.map((s) => ({ t: Math.round(s.t - host.startedAt), cpu: +s.cpu.toFixed(2), rssMiB: +(s.rssKiB / 1024).toFixed(1) })),
    progress: progress.map((p) => ({ t: Math.round(p.t - host.startedAt), finished: p.finished, discovered: p.discovered })),
  };
  if (storage.proxy) result.storage = storageFigures(counts, rows, idle, (completed.at - begun.at) / 1000);
  if (soak) result.soak = soakFigures(result);
  log(`${label}: ${rows} rows in ${crawlSeconds.toFixed(1)} s (${result.playlistsPerSecond.toFixed(1)}/s), `
    + `${requests.requests} site requests, busiest second ${requests.busiest}, efficiency ${requests.efficiency.toFixed(3)}${slidingText(requests)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// The soak: one long crawl started through the HTTP API (POST /api/crawls), as a deployed app runs it, with no
// terminal view reading the status every second; /api/status read every 5 s, RSS sampled every 2 s.

async function runSoak(label, { rps, site, capMs, sampleEveryMs = 2000, pollMs = 5000 }) {
  log(`${label}: FunctionsCrawler at ${rps} req/s, started through POST /api/crawls; stops after ${capMs / 60_000} min if unfinished`);
  const storage = await startStorage(label, false);
  const port = await freePort();
  const statsBefore = await site.stats();
  const host = track(start('host', 'dotnet', [hostDll, '--settings-dir', hostRoot, `--AzureWebJobsStorage=${storage.connectionString}`,
    `--NetEase:BaseUrl=${site.baseUrl}`, `--NetEase:RequestsPerSecond=${rps}`, '--Urls', `http://127.0.0.1:${port}`],
  { cwd: hostRoot, env: hostEnv, logPath: join(work, `${label}-host.log`) }));
  const api = `http://127.0.0.1:${port}/api/`;
  let begun = null;
  for (let i = 0; i < 120 && !begun && !host.done; i++) {
    try {
      const response = await fetch(`${api}crawls`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ categories, maxPages: pages }), signal: AbortSignal.timeout(10_000) });
      if (response.status === 202) begun = now(); else await sleep(500);
    } catch { await sleep(500); }
  }
  if (!begun) throw new Error(`${label}: POST /api/crawls did not succeed\n${tail(host)}`);
  const cpuAtStart = readProc(host.pid);
  const sampler = sample(host.pid, sampleEveryMs);
  const progress = [];
  let readErrors = 0, state = 'running';
  while (now() - begun < capMs && !host.done) {
    try {
      const s = await (await fetch(`${api}status`, { signal: AbortSignal.timeout(15_000) })).json();
      const p = s.playlists;
      progress.push({ t: now(), done: p.done, discovered: p.discovered, finished: p.done + p.skipped + p.failed });
      state = s.state;
      if (state === 'completed' || state === 'failed') break;
    } catch { readErrors++; }
    await sleep(pollMs);
  }
  if (host.done) throw new Error(`${label}: the host exited during the soak\n${tail(host)}`);
  const atEnd = readProc(host.pid);
  sampler.take();
  sampler.stop();
  const statsAfter = await site.stats();
  await stop(host);
  await stop(storage.azurite);
  const last = progress.at(-1) ?? { done: 0, discovered: 0 };
  const crawlSeconds = (now() - begun) / 1000;
  const result = {
    label, rps, rows: last.done, discovered: last.discovered, stoppedEarly: state !== 'completed', statusReadErrors: readErrors,
    crawlSeconds, playlistsPerSecond: last.done / crawlSeconds, site: siteWindow(statsBefore, statsAfter, rps),
    cpu: { total: atEnd.cpu, crawl: atEnd.cpu - cpuAtStart.cpu, perThousandPlaylists: ((atEnd.cpu - cpuAtStart.cpu) / Math.max(1, last.done)) * 1000 },
    memory: { peakRssMiB: atEnd.hwmKiB / 1024, rssAtEndMiB: atEnd.rssKiB / 1024, threads: atEnd.threads },
    samples: sampler.samples.map((x) => ({ t: Math.round(x.t - host.startedAt), cpu: +x.cpu.toFixed(2), rssMiB: +(x.rssKiB / 1024).toFixed(1) })),
    progress: progress.map((p) => ({ t: Math.round(p.t - host.startedAt), finished: p.finished, discovered: p.discovered })),
  };
  result.soak = soakFigures(result);
  log(`${label}: ${last.done} of ${last.discovered} playlists done in ${crawlSeconds.toFixed(0)} s (${state}); peak RSS ${result.memory.peakRssMiB.toFixed(0)} MiB; `
    + `${readErrors} status reads failed`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// The whole-site soak: every menu category of a Sandbox whose categories are all full, started as
// POST /api/crawls {"categories":["all"],"maxPages":0}, unthrottled, storage counted through the proxy. Every 5 s
// GET /api/status and GET /api/crawls/{id} are read and timed; RSS every 2 s; the status entity's stored state is
// read from Azurite (not through the proxy) every minute. After completion: the CSV export through
// GET /api/playlists.csv, checked against the Sandbox's /_sandbox/expected, and the final status counts.

async function runWholeSite(label, { rps, site, capMs, sampleEveryMs = 2000, pollMs = 5000, stateEveryMs = 60_000 }) {
  const load1AtStart = os.loadavg()[0];
  log(`${label}: FunctionsCrawler at ${rps} req/s on the whole site, storage counted${opts['plain-azurite'] ? '' : ', Azurite with the queue patch'}; stops after ${capMs / 60_000} min if unfinished`);
  const storage = await startStorage(label, true, { patchQueue: !opts['plain-azurite'] });
  const port = await freePort();
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = otherCpu([site.process, storage.azurite, storage.proxy]);
  const host = track(start('host', 'dotnet', [hostDll, '--settings-dir', hostRoot, `--AzureWebJobsStorage=${storage.connectionString}`,
    `--NetEase:BaseUrl=${site.baseUrl}`, `--NetEase:RequestsPerSecond=${rps}`, '--Urls', `http://127.0.0.1:${port}`],
  { cwd: hostRoot, env: hostEnv, logPath: join(work, `${label}-host.log`) }));
  const logged = watchHostLog(host);
  const api = `http://127.0.0.1:${port}/api/`;
  const counts = {};
  const snap = async (name) => { counts[name] = await storage.proxy.counts(); };

  // Ready when the API answers (404: no crawl yet); start-up's storage traffic is counted apart.
  for (let i = 0; i < 240 && !host.done; i++) {
    try { const r = await fetch(`${api}status`, { signal: AbortSignal.timeout(5_000) }); await r.arrayBuffer(); break; } catch { await sleep(500); }
  }
  await snap('start');
  let crawlId = null, begun = null;
  for (let i = 0; i < 120 && !crawlId && !host.done; i++) {
    try {
      const response = await fetch(`${api}crawls`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ categories: ['all'], maxPages: 0 }), signal: AbortSignal.timeout(30_000) });
      if (response.status === 202) { begun = now(); crawlId = (await response.json()).crawlId; } else await sleep(500);
    } catch { await sleep(500); }
  }
  if (!crawlId) throw new Error(`${label}: POST /api/crawls did not succeed\n${tail(host)}`);
  log(`${label}: crawl ${crawlId} started`);
  const cpuAtStart = readProc(host.pid);
  const sampler = sample(host.pid, sampleEveryMs);
  const connections = watchConnections(site.port);
  const progress = [], reads = [], states = [];
  let readErrors = 0, state = 'running', lastStatus = null, nextState = 0, nextLog = 0;
  const timedRead = async (path, kind, phase) => {
    const t0 = now();
    try {
      const r = await fetch(`${api}${path}`, { signal: AbortSignal.timeout(30_000) });
      const body = await r.text();
      const ms = now() - t0;
      if (!r.ok) { readErrors++; reads.push({ t: t0, kind, phase, ms, status: r.status }); return null; }
      reads.push({ t: t0, kind, phase, ms, status: r.status, bytes: body.length });
      return JSON.parse(body);
    } catch (e) { readErrors++; reads.push({ t: t0, kind, phase, ms: now() - t0, error: String(e.message ?? e) }); return null; }
  };
  while (now() - begun < capMs && !host.done) {
    const finishedSoFar = progress.at(-1)?.finished ?? 0;
    await timedRead('status', 'status', 'crawl');
    const s = await timedRead(`crawls/${crawlId}`, 'crawl', 'crawl');
    if (s) {
      const p = s.playlists;
      progress.push({ t: now(), done: p.done, discovered: p.discovered, finished: p.done + p.skipped + p.failed, pagesDone: s.pages.done, pagesTotal: s.pages.total });
      state = s.state;
      lastStatus = s;
    }
    if (now() >= nextState || state !== 'running') {
      states.push({ t: now(), finished: progress.at(-1)?.finished ?? finishedSoFar, ...(await entityState(storage.direct, crawlId).catch((e) => ({ error: String(e.message ?? e) }))) });
      nextState = now() + stateEveryMs;
    }
    if (now() >= nextLog) {
      const last = progress.at(-1);
      const rss = sampler.samples.at(-1)?.rssKiB / 1024;
      log(`${label}: ${last ? `${last.finished} of ${last.discovered} finished, pages ${last.pagesDone}/${last.pagesTotal}` : 'no status yet'}, host RSS ${rss?.toFixed(0)} MiB, load ${os.loadavg()[0].toFixed(2)}`);
      nextLog = now() + 60_000;
    }
    if (state !== 'running') break;
    await sleep(pollMs);
  }
  if (host.done) throw new Error(`${label}: the host exited during the soak\n${tail(host)}`);
  const completedAt = now();
  const stoppedEarly = state !== 'completed';
  const atEnd = readProc(host.pid);
  sampler.take();
  const siteConnections = connections.stop();
  await snap('completed');
  const statsAfter = await site.stats();
  const machineBusy = busyShare(cpuBefore, machineCpu());
  const otherCpuSeconds = others();
  log(`${label}: ${state} after ${((completedAt - begun) / 1000).toFixed(0)} s`);

  // The export through the API, then the final status read 20 times back to back.
  let exportCheck = null, exportSeconds = null;
  const csvPath = join(work, `${label}-playlists.csv`);
  if (!stoppedEarly) {
    const t0 = now();
    const response = await fetch(`${api}playlists.csv`, { signal: AbortSignal.timeout(30 * 60_000) });
    if (!response.ok) throw new Error(`${label}: GET /api/playlists.csv answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body), createWriteStream(csvPath));
    exportSeconds = (now() - t0) / 1000;
    log(`${label}: exported in ${exportSeconds.toFixed(1)} s`);
  }
  await snap('exported');
  for (let i = 0; i < 20; i++) {
    await timedRead('status', 'status', 'end');
    const s = await timedRead(`crawls/${crawlId}`, 'crawl', 'end');
    if (s) lastStatus = s;
  }
  states.push({ t: now(), finished: progress.at(-1)?.finished, final: true, ...(await entityState(storage.direct, crawlId).catch((e) => ({ error: String(e.message ?? e) }))) });
  sampler.stop();
  const expected = await site.expected(lastStatus?.categories ?? [], 0);
  if (!stoppedEarly) exportCheck = checkExport(csvPath, expected);
  const statusCheck = lastStatus ? checkFinalStatus(lastStatus, expected) : null;
  await stop(host);
  await stop(storage.proxy);
  await stop(storage.azurite);

  const last = progress.at(-1) ?? { done: 0, discovered: 0, finished: 0 };
  const crawlSeconds = (completedAt - begun) / 1000;
  const samples = sampler.samples.map((x) => ({ t: Math.round(x.t - host.startedAt), cpu: +x.cpu.toFixed(2), rssMiB: +(x.rssKiB / 1024).toFixed(1) }));
  const result = {
    label, rps, crawlId, state, stoppedEarly, rows: last.done, discovered: last.discovered, finished: last.finished,
    categories: lastStatus?.categories?.length, pages: lastStatus?.pages,
    crawlSeconds, playlistsPerSecond: last.done / crawlSeconds, finishedPerSecond: last.finished / crawlSeconds, exportSeconds,
    machineBusy, load1AtStart, site: siteWindow(statsBefore, statsAfter, rps), siteConnections,
    cpu: { total: atEnd.cpu, crawl: atEnd.cpu - cpuAtStart.cpu, perThousandPlaylists: ((atEnd.cpu - cpuAtStart.cpu) / Math.max(1, last.done)) * 1000,
      sandbox: otherCpuSeconds[0], azurite: otherCpuSeconds[1], proxy: otherCpuSeconds[2] },
    memory: { peakRssMiB: atEnd.hwmKiB / 1024, rssAtEndMiB: atEnd.rssKiB / 1024, threads: atEnd.threads },
    rssAtFinished: rssAtFinished(sampler.samples, progress, [1_000, 10_000, 25_000, 50_000, 75_000, 100_000]),
    statusReads: readFigures(reads, begun, progress), statusReadErrors: readErrors,
    reads: reads.map((x) => ({ t: Math.round(x.t - begun), kind: x.kind, phase: x.phase, ms: +x.ms.toFixed(1), status: x.status })),
    entityState: states.map((x) => ({ ...x, t: Math.round(x.t - begun) })),
    storage: storageFigures(counts, Math.max(1, last.done), 0, crawlSeconds),
    exportCheck, statusCheck, hostLog: logged.summary(),
    samples, progress: progress.map((p) => ({ t: Math.round(p.t - host.startedAt), finished: p.finished, discovered: p.discovered })),
  };
  result.storage.perFinished = result.storage.perPlaylist * last.done / Math.max(1, last.finished);
  log(`${label}: ${last.done} rows (${last.finished} of ${last.discovered} finished) in ${crawlSeconds.toFixed(0)} s; peak RSS ${result.memory.peakRssMiB.toFixed(0)} MiB; `
    + `${result.storage.perPlaylist.toFixed(2)} transactions per playlist; export ${exportCheck?.exact ? 'exact' : exportCheck ? 'NOT exact' : 'not checked'}; `
    + `status ${statusCheck?.exact ? 'exact' : 'NOT exact'}`);
  return result;
}

/** The status entity's stored state: its Instances row (column sizes) and the large-message blob it points to, if any. */
async function entityState(direct, crawlId) {
  const id = `@crawlstatus@${crawlId}`;
  const rows = await direct.queryEntities('FunctionsCrawlerInstances', `PartitionKey eq '${id}'`);
  if (!rows.length) return { found: false };
  const row = rows[0];
  const columns = Object.fromEntries(Object.entries(row).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, Buffer.byteLength(v)]));
  const out = { found: true, runtimeStatus: row.RuntimeStatus, rowBytes: Buffer.byteLength(JSON.stringify(row)), inputBytes: columns.Input ?? 0, columns };
  const blobName = row.InputBlobName ?? null;
  if (blobName) {
    // Durable keeps a large input as a gzip blob in <hub>-largemessages; the row's Input then holds only its name.
    const body = await direct.getBlob('functionscrawler-largemessages', blobName);
    out.blob = { name: blobName, bytes: body.length, inflatedBytes: gunzipSync(body).length };
  }
  const history = await direct.queryEntities('FunctionsCrawlerHistory', `PartitionKey eq '${id}'`, 'RowKey');
  out.historyRows = history.length;
  return out;
}

/** Logged warnings and errors of the host, grouped by their text with numbers and ids blanked; the first 30 kept whole. */
function watchHostLog(host) {
  const groups = new Map();
  const first = [];
  host.lines.on('line', ({ line, at }) => {
    if (!/\b(warn|fail|error|exception|crit)/i.test(line)) return;
    const key = line.replace(/\d[\d:.,-]*/g, '#').replace(/[0-9a-f]{8,}/gi, '…').slice(0, 200);
    groups.set(key, (groups.get(key) ?? 0) + 1);
    if (first.length < 30) first.push(`${new Date(at).toISOString().slice(11, 19)} ${line.slice(0, 400)}`);
  });
  return { summary: () => ({ lines: [...groups.values()].reduce((a, b) => a + b, 0), groups: [...groups].map(([text, n]) => ({ n, text })).sort((a, b) => b.n - a.n), first }) };
}

/** RSS of the host when `marks` playlists had finished (the sample nearest the interpolated moment). */
function rssAtFinished(samples, progress, marks) {
  const out = {};
  for (const mark of marks) {
    const i = progress.findIndex((p) => p.finished >= mark);
    if (i < 0) { out[mark] = null; continue; }
    const b = progress[i], a = progress[i - 1] ?? b;
    const t = a === b || b.finished === a.finished ? b.t : a.t + ((mark - a.finished) / (b.finished - a.finished)) * (b.t - a.t);
    const nearest = samples.reduce((best, s) => (Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best), samples[0]);
    out[mark] = nearest ? +(nearest.rssKiB / 1024).toFixed(1) : null;
  }
  return out;
}

/** Median, p95 and max of the timed status reads, during the crawl, in its last 10 % (by playlists finished) and at the end. */
function readFigures(reads, begun, progress) {
  const q = (list, share) => {
    if (!list.length) return null;
    const sorted = [...list].sort((a, b) => a - b);
    return +sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)].toFixed(1);
  };
  const total = progress.at(-1)?.finished ?? 0;
  const tail10 = progress.find((p) => p.finished >= total * 0.9)?.t ?? Infinity;
  const group = (pick) => {
    const ms = reads.filter((r) => r.status === 200 && pick(r)).map((r) => r.ms);
    return { n: ms.length, median: q(ms, 0.5), p95: q(ms, 0.95), max: ms.length ? +Math.max(...ms).toFixed(1) : null };
  };
  const out = {};
  for (const kind of ['status', 'crawl']) {
    out[kind] = {
      crawl: group((r) => r.kind === kind && r.phase === 'crawl'),
      lastTenth: group((r) => r.kind === kind && r.phase === 'crawl' && r.t >= tail10),
      end: group((r) => r.kind === kind && r.phase === 'end'),
    };
  }
  out.failed = reads.filter((r) => r.status !== 200).map((r) => ({ t: Math.round(r.t - begun), kind: r.kind, status: r.status, error: r.error }));
  out.bytes = Math.max(0, ...reads.filter((r) => r.bytes).map((r) => r.bytes));
  return out;
}

/** The exported CSV against the Sandbox: the rows' (category, id) set and count per category, and no duplicates. */
function checkExport(csvPath, expected) {
  const rows = readCsv(csvPath);
  const byCategory = new Map();
  let duplicates = 0;
  const seen = new Set();
  for (const r of rows) {
    const key = `${r.category}|${r.playlist_id}`;
    if (seen.has(key)) duplicates++;
    seen.add(key);
    if (!byCategory.has(r.category)) byCategory.set(r.category, new Set());
    byCategory.get(r.category).add(r.playlist_id);
  }
  const categories = [];
  for (const c of expected.categories) {
    const got = byCategory.get(c.category) ?? new Set();
    const want = new Set(c.ids.map(String));
    const missing = [...want].filter((id) => !got.has(id));
    const extra = [...got].filter((id) => !want.has(id));
    categories.push({ category: c.category, expected: want.size, exported: got.size, missing: missing.length, extra: extra.length, examples: [...missing.slice(0, 3), ...extra.slice(0, 3)] });
  }
  const unexpectedCategories = [...byCategory.keys()].filter((c) => !expected.categories.some((e) => e.category === c));
  // Covers: each distinct id with a stored cover once; their bytes summed, to compare with the status.
  const covers = new Map();
  for (const r of rows) if (r.cover_blob) covers.set(r.playlist_id, Number(r.cover_bytes));
  const wrong = categories.filter((c) => c.missing || c.extra || c.expected !== c.exported);
  return {
    exact: rows.length === expected.rows && duplicates === 0 && wrong.length === 0 && unexpectedCategories.length === 0 && covers.size === expected.coversStored,
    rows: rows.length, expectedRows: expected.rows, duplicates, categoriesWrong: wrong, unexpectedCategories,
    coversInCsv: covers.size, expectedCovers: expected.coversStored, coverBytesInCsv: [...covers.values()].reduce((a, b) => a + b, 0),
  };
}

/** The final status against the Sandbox (tests/Integration.Tests/Dataset.cs, AssertFinalStatus): totals and per category. */
function checkFinalStatus(status, expected) {
  const p = status.playlists;
  const checks = [
    ['state', status.state, 'completed'],
    ['playlists.done', p.done, expected.rows],
    ['playlists.skipped', p.skipped, expected.deletedPairs],
    ['playlists.failed', p.failed, 0],
    ['playlists.discovered', p.discovered, expected.discovered],
    ['pages.total', status.pages.total, expected.pages],
    ['pages.done', status.pages.done, expected.pages],
    ['covers.stored', status.covers.stored, expected.coversStored],
  ];
  const byName = new Map((status.byCategory ?? []).map((c) => [c.category, c]));
  for (const c of expected.categories) {
    const got = byName.get(c.category);
    checks.push([`${c.category}.done`, got?.done, c.rows], [`${c.category}.skipped`, got?.skipped, c.deletedPairs],
      [`${c.category}.discovered`, got?.discovered, c.rows + c.deletedPairs], [`${c.category}.pagesTotal`, got?.pagesTotal, c.pages],
      [`${c.category}.pagesDone`, got?.pagesDone, c.pages], [`${c.category}.failed`, got?.failed, 0]);
  }
  const wrong = checks.filter(([, got, want]) => got !== want).map(([what, got, want]) => ({ what, got, want }));
  return { exact: wrong.length === 0, checked: checks.length, wrong, coversBytes: status.covers.bytes, categories: status.categories?.length };
}

// ---------------------------------------------------------------------------------------------------------
// One crawl by the Crawlee reference crawler

async function runCrawlee(label, { rpm, site, timeoutMs = 20 * 60_000 }) {
  log(`${label}: Crawlee CheerioCrawler${rpm ? ` at maxRequestsPerMinute ${rpm}` : ' unthrottled'}`);
  const out = join(work, `${label}-out`);
  const storageDir = join(work, `${label}-crawlee-storage`);
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = otherCpu([site.process]);
  const load = os.loadavg()[0];
  const args = [crawleeScript, '--base-url', site.baseUrl, '--categories', categories.join(','), '--max-pages', `${pages}`, '--out', out];
  if (rpm) args.push('--rpm', `${rpm}`);
  const crawler = track(start('crawlee', process.execPath, args,
    { cwd: join(benchDir, 'crawlee'), env: { CRAWLEE_STORAGE_DIR: storageDir }, logPath: join(work, `${label}.log`) }));
  // Every awaited line is listened for before the one before it arrives: lines read in one chunk come out together.
  const statsLine = waitLine(crawler, /^stats (.*)$/, timeoutMs);
  const exportedLine = waitLine(crawler, /^Exported (\d+) rows and (\d+) covers/, timeoutMs);
  statsLine.catch(() => {});
  exportedLine.catch(() => {});
  const connections = watchConnections(site.port);
  const begun = await waitLine(crawler, /^crawl started/, 60_000);
  const exported = await exportedLine;
  const stats = JSON.parse((await statsLine).match[1]);
  const siteConnections = connections.stop();
  await crawler.exited;
  const statsAfter = await site.stats();
  const rows = Number(exported.match[1]);
  const requests = siteWindow(statsBefore, statsAfter, rpm ? rpm / 60 : fastRate, await site.arrivals(statsBefore.atMs));
  const crawlSeconds = (exported.at - begun.at) / 1000;
  const result = {
    label, rpm, rows, covers: Number(exported.match[2]), csv: join(out, 'playlists.csv'), load1: load,
    machineBusy: busyShare(cpuBefore, machineCpu()),
    startupSeconds: (begun.at - crawler.startedAt) / 1000,
    crawlSeconds, totalSeconds: (exported.at - crawler.startedAt) / 1000,
    playlistsPerSecond: rows / crawlSeconds,
    playlistsPerSecondFromProcessStart: rows / ((exported.at - crawler.startedAt) / 1000),
    site: requests,
    cpu: { total: stats.cpuSeconds, perThousandIncludingStartup: (stats.cpuSeconds / rows) * 1000, sandbox: others()[0] },
    memory: { peakRssMiB: stats.maxRssKiB / 1024 },
    siteConnections,
  };
  log(`${label}: ${rows} rows in ${crawlSeconds.toFixed(1)} s (${result.playlistsPerSecond.toFixed(1)}/s), `
    + `${requests.requests} site requests, busiest second ${requests.busiest}${slidingText(requests)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Figures

/**
 * What the site saw between two /_sandbox/stats readings: requests per whole second, politeness at `limit`; with the
 * arrival times (Unix ms) also the busiest sliding 1-s window and the efficiency over first-to-last arrival.
 */
function siteWindow(before, after, limit, arrivals) {
  const seen = new Map(before.perSecond.map((s) => [s.second, s.count]));
  const seconds = after.perSecond.map((s) => ({ second: s.second, count: s.count - (seen.get(s.second) ?? 0) })).filter((s) => s.count > 0);
  const requests = seconds.reduce((n, s) => n + s.count, 0);
  const first = seconds[0]?.second ?? 0, last = seconds.at(-1)?.second ?? 0;
  const wall = seconds.length ? last - first + 1 : 0;
  const byKind = Object.fromEntries(Object.entries(after.byPath).map(([k, v]) => [k, v - (before.byPath[k] ?? 0)]));
  // Where the time went, against a server that would take `limit` every second: the shortfall per second
  // in the first 10 s (start-up), the last 10 s (the tail) and between.
  const counts = new Map(seconds.map((s) => [s.second, s.count]));
  const shortfall = { start: 0, middle: 0, end: 0 };
  for (let s = first; s <= last && seconds.length; s++) {
    const missing = Math.max(0, limit - (counts.get(s) ?? 0)) / limit; // seconds' worth of requests not sent
    if (s - first < 10) shortfall.start += missing; else if (last - s < 10) shortfall.end += missing; else shortfall.middle += missing;
  }
  const middle = seconds.filter((s) => s.second - first >= 10 && last - s.second >= 10);
  return {
    requests, byKind, firstSecond: first, lastSecond: last, wallSeconds: wall,
    efficiency: wall ? requests / limit / wall : 0,
    busiest: Math.max(0, ...seconds.map((s) => s.count)),
    secondsOverLimit: seconds.filter((s) => s.count > limit).length,
    steadyRate: middle.length ? middle.reduce((n, s) => n + s.count, 0) / (middle.length ? (middle.at(-1).second - middle[0].second + 1) : 1) : null,
    shortfallSeconds: limit < 1000 ? Object.fromEntries(Object.entries(shortfall).map(([k, v]) => [k, +v.toFixed(1)])) : null,
    perSecond: seconds.map((s) => [s.second - first, s.count]),
    ...(arrivals?.length ? sliding(arrivals, limit) : {}),
  };
}

/** The most arrivals in any window [t, t + 1 s), where it starts, and (requests ÷ limit) ÷ (last − first arrival). */
function sliding(arrivals, limit) {
  let busiest = 0, at = 0, windowsOver = 0;
  for (let i = 0, j = 0; j < arrivals.length; j++) {
    while (arrivals[j] - arrivals[i] >= 1000) i++;
    if (j - i + 1 > busiest) { busiest = j - i + 1; at = i; }
  }
  const most = Math.max(1, Math.floor(limit));
  for (let i = 0; i + most < arrivals.length; i++) if (arrivals[i + most] - arrivals[i] < 1000) windowsOver++;
  const span = (arrivals.at(-1) - arrivals[0]) / 1000;
  return {
    busiestSliding: busiest, busiestSlidingAtSecond: +((arrivals[at] - arrivals[0]) / 1000).toFixed(3), slidingWindowsOver: windowsOver,
    // The busiest window's arrivals, ms from its first one: shows whether a late request bunched with the next ones.
    busiestSlidingMs: arrivals.slice(at, at + busiest).map((a) => +(a - arrivals[at]).toFixed(1)),
    efficiencyFromArrivals: span > 0 ? arrivals.length / limit / span : 0,
  };
}

function slidingText(r) {
  return r.busiestSliding === undefined ? ''
    : `, busiest sliding 1 s ${r.busiestSliding} (${r.slidingWindowsOver} starts over), efficiency over first-to-last arrival ${r.efficiencyFromArrivals.toFixed(3)}`;
}

function owner(resource) {
  if (/^functionscrawler/i.test(resource)) return 'durable';
  if (/^azure-webjobs/i.test(resource)) return 'webjobs';
  if (resource === '(account)') return 'account';
  return 'app';
}

function diffCounts(later, earlier) {
  const before = new Map((earlier?.rows ?? []).map((r) => [`${r.service}\t${r.resource}\t${r.op}`, r.n]));
  return later.rows.map((r) => ({ ...r, n: r.n - (before.get(`${r.service}\t${r.resource}\t${r.op}`) ?? 0) })).filter((r) => r.n > 0);
}

function storageFigures(counts, rows, idle, crawlSeconds) {
  const phases = {
    startup: diffCounts(counts.start, null),
    crawl: diffCounts(counts.completed, counts.start),
    export: diffCounts(counts.exported, counts.completed),
    idle: counts.idle ? diffCounts(counts.idle, counts.exported) : [],
  };
  const sum = (list, pick = () => true) => list.filter(pick).reduce((n, r) => n + r.n, 0);
  const crawl = phases.crawl;
  const per = (n) => n / rows;
  const byService = Object.fromEntries(['queue', 'table', 'blob'].map((s) => [s, per(sum(crawl, (r) => r.service === s))]));
  const byOwner = Object.fromEntries(['app', 'durable', 'webjobs', 'account'].map((o) => [o, per(sum(crawl, (r) => owner(r.resource) === o))]));
  const byCategory = {};
  for (const r of crawl) byCategory[priceCategory(r.service, r.op)] = (byCategory[priceCategory(r.service, r.op)] ?? 0) + r.n;
  const costPerThousand = Object.entries(byCategory).reduce((usd, [cat, n]) => usd + (n / rows) * 1000 * prices.storage[cat] / 10_000, 0);
  const detail = crawl.map((r) => ({ ...r, owner: owner(r.resource), perPlaylist: +(r.n / rows).toFixed(3) })).sort((a, b) => b.n - a.n);
  // Flex Consumption: one instance executes something for the whole crawl (messages wait for the rate limiter),
  // so GB-s = instance memory × crawl seconds; executions = queue messages completed + entity batches.
  const executions = sum(crawl, (r) => /^crawl-(pages|playlists)$/.test(r.resource) && r.op === 'DeleteMessage')
    + sum(crawl, (r) => /^FunctionsCrawlerHistory$/i.test(r.resource) && r.op === 'Batch');
  const fx = prices.functions;
  const gbSecondsPerThousand = (fx.instanceMemoryGB * crawlSeconds / rows) * 1000;
  const executionsPerThousand = (executions / rows) * 1000;
  const functionsCostPerThousand = gbSecondsPerThousand * fx.gbSecond + (executionsPerThousand / 1e6) * fx.perMillionExecutions;
  return {
    perPlaylist: per(sum(crawl)), byService, byOwner, gbSecondsPerThousand, executionsPerThousand, functionsCostPerThousand,
    perThousandByPriceCategory: Object.fromEntries(Object.entries(byCategory).map(([k, n]) => [k, Math.round((n / rows) * 1000)])),
    costPerThousandPlaylists: costPerThousand,
    startupTransactions: sum(phases.startup), exportTransactionsPerRow: per(sum(phases.export)),
    idlePerSecond: idle ? sum(phases.idle) / idle : null,
    idleDetail: phases.idle.map((r) => ({ ...r, perSecond: +(r.n / idle).toFixed(2) })).sort((a, b) => b.n - a.n),
    signals: sum(crawl, (r) => /^functionscrawler-control/i.test(r.resource) && r.op === 'PutMessage'),
    connectionsOpened: counts.exported.connections,
    entityBatches: sum(crawl, (r) => /^FunctionsCrawlerHistory$/i.test(r.resource) && r.op === 'Batch'),
    detail,
  };
}

/** RSS against playlists finished: least-squares slope after the first 20 % of the crawl. */
function soakFigures(run) {
  const t0 = run.progress.find((p) => p.finished > 0)?.t ?? 0;
  const points = [];
  for (const s of run.samples) {
    if (s.t < t0) continue;
    const p = [...run.progress].reverse().find((q) => q.t <= s.t);
    if (p) points.push({ t: s.t, finished: p.finished, rss: s.rssMiB });
  }
  const total = points.at(-1)?.finished ?? 0;
  const steady = points.filter((p) => p.finished >= total * 0.2);
  const fit = (xs, ys) => {
    const n = xs.length, mx = xs.reduce((a, b) => a + b, 0) / n, my = ys.reduce((a, b) => a + b, 0) / n;
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0), sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
    return sxx ? sxy / sxx : 0;
  };
  const at = (share) => points.find((p) => p.finished >= total * share)?.rss;
  return {
    samples: points.length, finished: total,
    mibPerThousandPlaylists: fit(steady.map((p) => p.finished / 1000), steady.map((p) => p.rss)),
    mibPerMinute: fit(steady.map((p) => p.t / 60_000), steady.map((p) => p.rss)),
    rssAt: { '10%': at(0.1), '25%': at(0.25), '50%': at(0.5), '75%': at(0.75), '100%': points.at(-1)?.rss },
    ratePerSecondByQuarter: [0.25, 0.5, 0.75, 1].map((q, i, all) => {
      const from = points.find((p) => p.finished >= total * (i === 0 ? 0 : all[i - 1]));
      const to = points.find((p) => p.finished >= total * q) ?? points.at(-1);
      return from && to && to.t > from.t ? +(((to.finished - from.finished) / (to.t - from.t)) * 1000).toFixed(1) : null;
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Tables

function mainTable(r) {
  const { oursPolite: a, oursFast: b, crawleePolite: ca, crawleeFast: cb } = r.runs;
  const f = (x, d = 2) => (x == null || Number.isNaN(x) ? '—' : Number(x).toFixed(d));
  const lines = [];
  lines.push(`# bench: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.settings.label ? ` — ${r.settings.label}` : ''}`);
  if (r.settings.hostRoot !== root || Object.keys(r.settings.hostEnv).length)
    lines.push('', `Host: ${r.settings.hostRoot}${Object.keys(r.settings.hostEnv).length ? `, environment ${Object.entries(r.settings.hostEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
  lines.push('');
  lines.push(`Machine: ${r.machine.nproc} cores, ${r.machine.cpuModel}, ${r.machine.memory}; load average before ${r.machine.loadBefore}, after ${r.machine.loadAfter}. `
    + `Crawl: ${r.settings.categories.join(', ')} × ${r.settings.pages} pages on the Sandbox; polite limit ${r.settings.rate} req/s.`);
  lines.push('');
  lines.push('| figure | FunctionsCrawler | Crawlee 3.18.1 | target | verdict |');
  lines.push('|---|---|---|---|---|');
  const verdict = (ok, miss) => (ok == null ? '—' : ok ? 'met' : `missed ${miss}`);
  if (a || ca) {
    lines.push(`| (a) politeness efficiency at ${rate} req/s: (requests ÷ limit) ÷ wall | ${a ? `${f(a.site.efficiency, 3)} (${a.site.requests} req in ${a.site.wallSeconds} s)` : '—'} | ${ca ? `${f(ca.site.efficiency, 3)} (${ca.site.requests} req in ${ca.site.wallSeconds} s)` : '—'} | ≥ 0.95 | ${a ? verdict(a.site.efficiency >= 0.95, `by ${f(0.95 - a.site.efficiency, 3)}`) : '—'} |`);
    if (a?.site.busiestSliding !== undefined) lines.push(`| (a) busiest sliding 1 s at the site (arrival times); efficiency over first-to-last arrival | ${a.site.busiestSliding}; ${f(a.site.efficiencyFromArrivals, 3)} | ${ca?.site.busiestSliding ?? '—'}; ${ca ? f(ca.site.efficiencyFromArrivals, 3) : '—'} | ≤ ${rate}; ≥ 0.97 | ${verdict(a.site.busiestSliding <= rate && a.site.efficiencyFromArrivals >= 0.97, '')} |`);
    lines.push(`| (a) busiest second seen by the site (limit ${rate}) | ${a ? `${a.site.busiest} (${a.site.secondsOverLimit} s over)` : '—'} | ${ca ? `${ca.site.busiest} (${ca.site.secondsOverLimit} s over)` : '—'} | ≤ ${rate} | ${a ? verdict(a.site.busiest <= rate, `by ${a.site.busiest - rate}`) : '—'} |`);
    if (a?.site.shortfallSeconds) lines.push(`| (a) time lost vs a full-rate crawl: first 10 s / middle / last 10 s | ${a.site.shortfallSeconds.start} / ${a.site.shortfallSeconds.middle} / ${a.site.shortfallSeconds.end} s; steady ${f(a.site.steadyRate, 2)} req/s | ${ca?.site.shortfallSeconds ? `${ca.site.shortfallSeconds.start} / ${ca.site.shortfallSeconds.middle} / ${ca.site.shortfallSeconds.end} s` : '—'} | | |`);
  }
  if (b || cb) {
    const ratio = b && cb ? b.playlistsPerSecond / cb.playlistsPerSecond : null;
    lines.push(`| (b) unthrottled playlists/s, first request → CSV written | ${b ? `${f(b.playlistsPerSecond, 1)} (${b.rows} in ${f(b.crawlSeconds, 1)} s)` : '—'} | ${cb ? `${f(cb.playlistsPerSecond, 1)} (${cb.rows} in ${f(cb.crawlSeconds, 1)} s)` : '—'} | ≥ Crawlee | ${ratio == null ? '—' : `ratio ${f(ratio, 2)}: ${ratio >= 1 ? 'met' : `missed by ${f((1 - ratio) * 100, 0)} %`}`} |`);
    lines.push(`| (b) same, from process start | ${b ? `${f(b.playlistsPerSecondFromProcessStart, 1)} (start-up ${f(b.startupSeconds, 1)} s, export ${f(b.exportSeconds, 1)} s)` : '—'} | ${cb ? `${f(cb.playlistsPerSecondFromProcessStart, 1)} (start-up ${f(cb.startupSeconds, 1)} s)` : '—'} | | |`);
    const conn = (x) => (x?.siteConnections ? `${x.siteConnections.distinctClientPorts} opened, ≤ ${x.siteConnections.mostOpen} at once` : '—');
    lines.push(`| (b) connections to the site, unthrottled | ${conn(b)} | ${conn(cb)} | | |`);
    lines.push(`| (b) busiest second unthrottled | ${b ? `${b.site.busiest} req/s` : '—'} | ${cb ? `${cb.site.busiest} req/s` : '—'} | | |`);
  }
  const cpuCell = (x) => (x ? `${f(x.cpu.perThousandPlaylists ?? x.cpu.perThousandIncludingStartup, 1)}${x.cpu.perThousandPlaylists != null ? ` (${f(x.cpu.perThousandIncludingStartup, 1)} with start-up)` : ''}` : '—');
  lines.push(`| (c) CPU s per 1,000 playlists, polite | ${cpuCell(a)} | ${ca ? f(ca.cpu.perThousandIncludingStartup, 1) + ' (with start-up)' : '—'} | | |`);
  lines.push(`| (c) CPU s per 1,000 playlists, unthrottled | ${cpuCell(b)} | ${cb ? f(cb.cpu.perThousandIncludingStartup, 1) + ' (with start-up)' : '—'} | | |`);
  lines.push(`| (c) peak RSS (VmHWM), polite / unthrottled | ${a ? f(a.memory.peakRssMiB, 0) : '—'} / ${b ? f(b.memory.peakRssMiB, 0) : '—'} MiB | ${ca ? f(ca.memory.peakRssMiB, 0) : '—'} / ${cb ? f(cb.memory.peakRssMiB, 0) : '—'} MiB | | |`);
  if (b) lines.push(`| (c) other processes' CPU during the unthrottled run: Sandbox / Azurite | ${f(b.cpu.sandbox, 1)} / ${f(b.cpu.azurite, 1)} s; machine busy ${f(b.machineBusy * 100, 0)} % | Sandbox ${cb ? f(cb.cpu.sandbox, 1) : '—'} s; machine busy ${cb ? f(cb.machineBusy * 100, 0) : '—'} % | | |`);
  const s = a?.storage;
  if (s) {
    lines.push(`| (d) storage transactions per playlist (polite crawl) | ${f(s.perPlaylist, 2)}: queue ${f(s.byService.queue, 2)}, table ${f(s.byService.table, 2)}, blob ${f(s.byService.blob, 2)} | none (local files) | | |`);
    lines.push(`| (d) … by owner: app / Durable task hub / WebJobs host | ${f(s.byOwner.app, 2)} / ${f(s.byOwner.durable, 2)} / ${f(s.byOwner.webjobs, 3)} (entity signals ${s.signals}, entity batches ${s.entityBatches}) | | | |`);
    lines.push(`| (d) storage cost per 1,000 playlists (list prices, see docs) | $${f(s.costPerThousandPlaylists, 4)} | | | |`);
    lines.push(`| (d) Functions Flex cost per 1,000 playlists at ${rate} req/s: ${f(s.gbSecondsPerThousand, 0)} GB-s, ${f(s.executionsPerThousand, 0)} executions | $${f(s.functionsCostPerThousand, 4)} | | | |`);
    lines.push(`| (d) idle storage traffic after the crawl | ${f(s.idlePerSecond, 1)} transactions/s | | | |`);
  }
  if (r.sameOutput) {
    const o = r.sameOutput;
    lines.push(`| same dataset (unthrottled CSVs, ${o.rowsA} vs ${o.rowsB} rows) | ${o.onlyA + o.onlyB + o.differing === 0 ? 'identical on every compared column' : `${o.onlyA} only ours, ${o.onlyB} only Crawlee's, ${o.differing} differ`} | | | |`);
  }
  lines.push('');
  lines.push(`Loads (1-min average at each run's start): ${Object.values(r.runs).map((x) => `${x.label} ${f(x.load1, 2)} (machine busy ${f(x.machineBusy * 100, 0)} %)`).join(', ')}.`);
  if (s) {
    lines.push('');
    lines.push('Storage transactions of the polite crawl, per 1,000 playlists (crawl only; start-up, export and idle apart):');
    lines.push('');
    lines.push('| owner | service | resource | operation | per 1,000 playlists |');
    lines.push('|---|---|---|---|---|');
    for (const d of s.detail.filter((x) => x.perPlaylist * 1000 >= 1)) lines.push(`| ${d.owner} | ${d.service} | ${d.resource} | ${d.op} | ${Math.round(d.perPlaylist * 1000)} |`);
    lines.push('');
    if (s.connectionsOpened) lines.push(`TCP connections the host opened to storage over the whole run: blob ${s.connectionsOpened.blob}, queue ${s.connectionsOpened.queue}, table ${s.connectionsOpened.table}.`, '');
    lines.push(`Start-up: ${s.startupTransactions} transactions. Export: ${f(s.exportTransactionsPerRow, 2)} per row. `
      + `Idle: ${f(s.idlePerSecond, 1)}/s — ${s.idleDetail.slice(0, 6).map((x) => `${x.resource} ${x.op} ${x.perSecond}/s`).join(', ')}.`);
  }
  return lines.join('\n');
}

function soakTable(r) {
  const x = r.runs.soak;
  const s = x.soak;
  const f = (v, d = 1) => (v == null ? '—' : Number(v).toFixed(d));
  return [
    `# soak: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.settings.label ? ` — ${r.settings.label}` : ''}`,
    '',
    `Machine: ${r.machine.nproc} cores, ${r.machine.cpuModel}, ${r.machine.memory}; load before ${r.machine.loadBefore}, after ${r.machine.loadAfter}. `
      + `Crawl: ${r.settings.categories.join(', ')} × ${r.settings.pages} pages at ${x.rps} req/s.`,
    '',
    '| figure | value |',
    '|---|---|',
    `| playlists finished | ${x.rows} of ${x.discovered} discovered in ${f(x.crawlSeconds)} s (${f(x.playlistsPerSecond)}/s)${x.stoppedEarly ? ' — stopped at the time cap, unfinished' : ''} |`,
    `| finished playlists/s by quarter of the crawl | ${s.ratePerSecondByQuarter.map((v) => f(v)).join(' / ')} |`,
    `| RSS at 10 / 25 / 50 / 75 / 100 % of the crawl | ${Object.values(s.rssAt).map((v) => f(v, 0)).join(' / ')} MiB |`,
    `| RSS slope after the first 20 % | ${f(s.mibPerThousandPlaylists, 2)} MiB per 1,000 playlists (${f(s.mibPerMinute, 2)} MiB/min) |`,
    `| peak RSS (VmHWM) | ${f(x.memory.peakRssMiB, 0)} MiB |`,
    `| status reads that failed (GET /api/status, every 5 s) | ${x.statusReadErrors ?? '—'} |`,
    `| CPU s per 1,000 playlists | ${f(x.cpu.perThousandPlaylists)} |`,
    `| target: memory flat | ${Math.abs(s.mibPerThousandPlaylists) < 1 ? 'met' : `missed: ${f(s.mibPerThousandPlaylists, 2)} MiB per 1,000 playlists`} |`,
  ].join('\n');
}

function wholeSiteTable(r) {
  const x = r.runs.wholeSite;
  const f = (v, d = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toFixed(d));
  const n = (v) => (v == null ? '—' : Number(v).toLocaleString('en-US'));
  const st = x.storage;
  const rss10 = x.rssAtFinished[10000], rss100 = x.rssAtFinished[100000];
  const growth = rss10 != null && rss100 != null ? rss100 - rss10 : null;
  const endState = x.entityState.at(-1) ?? {};
  const maxState = Math.max(0, ...x.entityState.filter((e) => e.found).map((e) => e.blob?.inflatedBytes ?? e.inputBytes));
  const stateText = (e) => (!e?.found ? 'not found' : e.blob ? `${n(e.blob.inflatedBytes)} B of JSON, stored as a ${n(e.blob.bytes)}-B gzip blob` : `${n(e.inputBytes)} B in the Instances row's Input`);
  const lat = (g) => (g?.n ? `median ${f(g.median, 0)} ms, p95 ${f(g.p95, 0)} ms, max ${f(g.max, 0)} ms (${g.n})` : '—');
  const sr = x.statusReads;
  const worstP95 = Math.max(sr.status.lastTenth.p95 ?? 0, sr.crawl.lastTenth.p95 ?? 0, sr.status.end.p95 ?? 0, sr.crawl.end.p95 ?? 0);
  // Functions at a polite 20 req/s: the instance is busy for (site requests ÷ 20) s per playlist (see docs/performance.md).
  const requestsPerPlaylist = x.site.requests / Math.max(1, x.rows);
  const fx = prices.functions;
  const gbs = fx.instanceMemoryGB * (requestsPerPlaylist / 20) * 1000;
  const executions = st.executionsPerThousand;
  const fxCost = gbs * fx.gbSecond + (executions / 1e6) * fx.perMillionExecutions;
  const verdict = (ok, miss) => (ok == null ? '—' : ok ? 'met' : `missed ${miss}`);
  const lines = [
    `# whole-site soak: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.settings.label ? ` — ${r.settings.label}` : ''}`,
    '',
    `Machine: ${r.machine.nproc} cores, ${r.machine.cpuModel}, ${r.machine.memory}; load before ${r.machine.loadBefore}, after ${r.machine.loadAfter}; `
      + `machine busy ${f(x.machineBusy * 100, 0)} % during the crawl. Sandbox: every category full, ${r.settings.pages} pages each; `
      + `crawl: POST /api/crawls {"categories":["all"],"maxPages":0} at ${x.rps} req/s; Azurite in memory${r.settings.queuePatch ? ' with bench/lib/azurite-queue-patch.cjs' : ''}, behind the counting proxy.`,
    '',
    '| figure | value | goal | verdict |',
    '|---|---|---|---|',
    `| playlists | ${n(x.rows)} rows done, ${n(x.finished)} of ${n(x.discovered)} (category, playlist) pairs finished, ${x.categories} categories, pages ${x.pages ? `${n(x.pages.done)}/${n(x.pages.total)}` : '—'}; ${x.state}${x.stoppedEarly ? ' — stopped at the time cap' : ''} | ≥ 100,000 across ≥ 50 categories | ${verdict(x.rows >= 100_000 && x.categories >= 50 && !x.stoppedEarly, '')} |`,
    `| throughput | ${f(x.playlistsPerSecond)} rows/s (${f(x.finishedPerSecond)} pairs/s) over ${f(x.crawlSeconds, 0)} s, POST → status completed; export ${f(x.exportSeconds)} s | | |`,
    `| exact export (GET /api/playlists.csv vs /_sandbox/expected) | ${x.exportCheck ? `${x.exportCheck.exact ? 'exact' : 'NOT exact'}: ${n(x.exportCheck.rows)} rows of ${n(x.exportCheck.expectedRows)}, ${x.exportCheck.duplicates} duplicates, ${x.exportCheck.categoriesWrong.length} categories with missing/extra ids, ${n(x.exportCheck.coversInCsv)} covers of ${n(x.exportCheck.expectedCovers)}` : 'not exported'} | exact | ${verdict(x.exportCheck?.exact, '')} |`,
    `| exact final status (totals and per category) | ${x.statusCheck ? `${x.statusCheck.exact ? 'exact' : 'NOT exact'} on ${x.statusCheck.checked} counts${x.statusCheck.wrong.length ? `: ${x.statusCheck.wrong.slice(0, 6).map((w) => `${w.what} ${w.got} ≠ ${w.want}`).join('; ')}` : ''}` : '—'}; cover bytes ${n(x.statusCheck?.coversBytes)} (CSV ${n(x.exportCheck?.coverBytesInCsv)}) | exact | ${verdict(x.statusCheck?.exact, '')} |`,
    `| host RSS at 1k / 10k / 25k / 50k / 75k / 100k playlists finished | ${Object.values(x.rssAtFinished).map((v) => f(v, 0)).join(' / ')} MiB | | |`,
    `| RSS growth 10k → 100k | ${growth == null ? '—' : `${f(growth, 1)} MiB`} | ≤ 20 MiB | ${growth == null ? '—' : verdict(growth <= 20, `by ${f(growth - 20, 1)} MiB`)} |`,
    `| peak RSS (VmHWM) | ${f(x.memory.peakRssMiB, 0)} MiB (at the end ${f(x.memory.rssAtEndMiB, 0)} MiB, ${x.memory.threads} threads) | | |`,
    `| status entity state at the end | ${stateText(endState)}; largest seen ${n(maxState)} B; Instances row ${n(endState.rowBytes)} B; ${endState.historyRows ?? '—'} History rows | | |`,
    `| GET /api/status during the crawl / its last 10 % / at the end | ${lat(sr.status.crawl)} / ${lat(sr.status.lastTenth)} / ${lat(sr.status.end)} | < 100 ms at 100,000 | ${verdict(worstP95 < 100, `(p95 ${f(worstP95, 0)} ms)`)} |`,
    `| GET /api/crawls/{id} during the crawl / its last 10 % / at the end | ${lat(sr.crawl.crawl)} / ${lat(sr.crawl.lastTenth)} / ${lat(sr.crawl.end)} | | |`,
    `| status reads that failed | ${x.statusReadErrors}; response ${n(sr.bytes)} B | | |`,
    `| storage transactions per playlist (crawl phase) | ${f(st.perPlaylist, 2)}: queue ${f(st.byService.queue, 2)}, table ${f(st.byService.table, 2)}, blob ${f(st.byService.blob, 2)}; app ${f(st.byOwner.app, 2)} / Durable ${f(st.byOwner.durable, 2)} / WebJobs ${f(st.byOwner.webjobs, 3)} (entity signals ${n(st.signals)}, batches ${n(st.entityBatches)}) | ≤ 5 (from 9.6) | ${verdict(st.perPlaylist <= 5, `by ${f(st.perPlaylist - 5, 2)}`)} |`,
    `| storage cost per 1,000 playlists | $${f(st.costPerThousandPlaylists, 4)} (${Object.entries(st.perThousandByPriceCategory).map(([k, v]) => `${k} ${v}`).join(', ')}) | | |`,
    `| Functions Flex per 1,000 playlists at 20 req/s | ${f(requestsPerPlaylist, 2)} site requests per playlist → ${f(gbs, 0)} GB-s, ${f(executions, 0)} executions: $${f(fxCost, 4)} | | |`,
    `| total per 1,000 playlists at 20 req/s | $${f(st.costPerThousandPlaylists + fxCost, 4)} | | |`,
    `| CPU s per 1,000 playlists: host / Sandbox / Azurite / proxy | ${f(x.cpu.perThousandPlaylists)} / ${f((x.cpu.sandbox / Math.max(1, x.rows)) * 1000)} / ${f((x.cpu.azurite / Math.max(1, x.rows)) * 1000)} / ${f((x.cpu.proxy / Math.max(1, x.rows)) * 1000)} | | |`,
    `| site | ${n(x.site.requests)} requests (${Object.entries(x.site.byKind).map(([k, v]) => `${k} ${n(v)}`).join(', ')}), busiest second ${x.site.busiest}; ${x.siteConnections.distinctClientPorts} connections opened | | |`,
    `| host log: warnings and errors | ${x.hostLog.lines} lines${x.hostLog.groups.length ? `: ${x.hostLog.groups.slice(0, 3).map((g) => `${g.n}× “${g.text.slice(0, 120)}”`).join('; ')}` : ''} | | |`,
    '',
    `Load average (1 min) at the crawl's start ${f(x.load1AtStart, 2)}. Start-up: ${st.startupTransactions} transactions; export: ${f(st.exportTransactionsPerRow, 2)} per row.`,
    '',
    'Storage transactions of the crawl phase, per 1,000 playlists (rows done):',
    '',
    '| owner | service | resource | operation | per 1,000 playlists |',
    '|---|---|---|---|---|',
    ...st.detail.filter((d) => d.perPlaylist * 1000 >= 1).map((d) => `| ${d.owner} | ${d.service} | ${d.resource} | ${d.op} | ${Math.round(d.perPlaylist * 1000)} |`),
    '',
    'Entity state over the crawl (playlists finished: bytes of state):',
    '',
    x.entityState.filter((e) => e.found).map((e) => `${n(e.finished)}: ${n(e.blob?.inflatedBytes ?? e.inputBytes)}`).join(' · '),
  ];
  if (x.hostLog.groups.length) {
    lines.push('', 'Host log, warnings and errors by text (numbers blanked):', '');
    for (const g of x.hostLog.groups.slice(0, 15)) lines.push(`- ${g.n}× \`${g.text.replace(/`/g, "'")}\``);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------------

function machineInfo() {
  let memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  try {
    const [, total, used] = execFileSync('free', ['-h']).toString().split('\n')[1].trim().split(/\s+/);
    memory = `${total} RAM (${used} in use at the start)`;
  } catch { /* keep */ }
  let dotnet = '';
  try { dotnet = execFileSync('dotnet', ['--version']).toString().trim(); } catch { /* none */ }
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memory,
    loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(' '), node: process.version, dotnet, kernel: os.release(),
  };
}

function busyShare(a, b) { return (b.busy - a.busy) / Math.max(1, b.total - a.total); }

/** CPU seconds each of these processes uses from now until the returned function is called. */
function otherCpu(list) {
  const before = list.map((p) => (p ? readProc(p.pid)?.cpu ?? 0 : 0));
  return () => list.map((p, i) => (p ? (readProc(p.pid)?.cpu ?? before[i]) - before[i] : null));
}

function track(p) { started.push(p); return p; }

async function stopAll() { for (const p of started.reverse()) await stop(p); started.length = 0; }

function stripPaths(key, value) { return key === 'csv' ? undefined : value; }

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument '${argv[i]}'\n${usage()}`);
    const [key, inline] = argv[i].slice(2).split(/=(.*)/s);
    const flag = ['soak', 'keep', 'count-fast', 'help', 'warm', 'whole-site', 'plain-azurite'].includes(key);
    const value = flag ? true : inline ?? argv[++i];
    result[key] = key === 'host-env' ? [...(result[key] ?? []), value] : value;
  }
  return result;
}
