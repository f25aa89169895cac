// The bench: the FunctionsCrawler (WebJobs host, as ./run.sh runs it) and the Crawlee reference crawler,
// each crawling the same Sandbox site, politely and unthrottled; prints and saves one table.
// bench/run.sh installs and builds, then runs this. Options: see usage() below.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareCsv } from './csv.mjs';
import { freePort, machineCpu, now, readProc, sample, sleep, start, stop, tail, waitLine, waitPort, watchConnections } from './proc.mjs';
import { prices, priceCategory } from './prices.mjs';

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const root = resolve(benchDir, '..');
const sandboxDll = join(root, 'src/Sandbox/bin/Release/net10.0/FunctionsCrawler.Sandbox.dll');
const azuriteBin = join(root, 'node_modules/.bin/azurite');
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
  --soak-minutes M    stop the soak after M minutes if it has not finished, and report what it did (default 15)
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
const pages = Number(soak ? opts['soak-pages'] ?? 100 : opts.pages ?? 10);
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

  const site = await startSandbox(pages);
  const results = { date: new Date().toISOString(), machine, settings: { rate, fastRate, pages, categories, idleSeconds, soak, hostRoot, hostEnv, label: opts.label ?? null }, runs: {} };

  if (soak) {
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

  const table = soak ? soakTable(results) : mainTable(results);
  console.log('\n' + table);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-').slice(0, 19);
  const name = soak ? 'soak' : 'bench';
  for (const file of [`${name}-${stamp}`, `${name}-latest`]) {
    writeFileSync(join(resultsDir, `${file}.json`), JSON.stringify(results, stripPaths, 2));
    writeFileSync(join(resultsDir, `${file}.md`), table + '\n');
  }
  log(`results in ${join(resultsDir, `${name}-latest.{json,md}`)}`);
}

// ---------------------------------------------------------------------------------------------------------
// The Sandbox, Azurite and the storage proxy

async function startSandbox(pagesPerCategory) {
  const port = await freePort();
  const p = track(start('sandbox', 'dotnet', [sandboxDll, '--urls', `http://127.0.0.1:${port}`, `--Sandbox:PagesPerCategory=${pagesPerCategory}`],
    { cwd: root, logPath: join(work, 'sandbox.log') }));
  await waitLine(p, /Sandbox site listening/, 60_000);
  const baseUrl = `http://127.0.0.1:${port}/`;
  log(`Sandbox on ${baseUrl} (${pagesPerCategory} pages per category)`);
  return { process: p, baseUrl, port, stats: async () => (await fetch(`${baseUrl}_sandbox/stats`)).json() };
}

async function startStorage(label, countStorage) {
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  const azurite = track(start('azurite', azuriteBin, ['--silent', '--skipApiVersionCheck', '--disableTelemetry', '--inMemoryPersistence',
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
  return { azurite, proxy, connectionString };
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
  const requests = siteWindow(statsBefore, statsAfter, rps);
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
    + `${requests.requests} site requests, busiest second ${requests.busiest}, efficiency ${requests.efficiency.toFixed(3)}`);
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
  const requests = siteWindow(statsBefore, statsAfter, rpm ? rpm / 60 : fastRate);
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
    + `${requests.requests} site requests, busiest second ${requests.busiest}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Figures

/** What the site saw between two /_sandbox/stats readings: requests per whole second, politeness at `limit`. */
function siteWindow(before, after, limit) {
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
  };
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
    const flag = ['soak', 'keep', 'count-fast', 'help', 'warm'].includes(key);
    const value = flag ? true : inline ?? argv[++i];
    result[key] = key === 'host-env' ? [...(result[key] ?? []), value] : value;
  }
  return result;
}
