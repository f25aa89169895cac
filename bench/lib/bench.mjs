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
import { dailyTable, runDaily } from './daily.mjs';
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
  The default is the side-by-side (~12-15 min on 2 cores): the FunctionsCrawler and Crawlee's CheerioCrawler on the
  same Sandbox pages, 3 runs of each, medians with min-max and the goals of issue 12:
    - the time from ./run.sh --sandbox to the first row (the real ./run.sh, under flock, warm build);
    - unthrottled crawls of --categories x --pages (default 说唱,华语 x 25: 1,652 rows, covers included);
    - polite crawls at --rate of the same categories x --polite-pages (storage counted, arrivals logged).
  --repeat N          runs of each kind (default 3; --repeat 1 for a quick look, ~5 min)
  --rate R            the polite crawl's limit, requests per second (default 20)
  --fast-rate R       the FunctionsCrawler's "unthrottled" limit (default 10000)
  --pages N           Sandbox pages per full category, and the unthrottled crawls' max pages (default 25)
  --polite-pages N    the polite crawls' max pages (default 10: 667 rows, ~1,280 requests, ~65 s at 20 req/s)
  --categories A,B    categories (default 说唱,华语; 说唱,华语,全部 for --soak)
  --idle S            seconds of idle storage traffic measured after the first polite crawl (default 20)
  --only WHO          ours | crawlee (default both)
  --runs WHICH        polite | fast (default both)
  --no-warm           skip the unreported Crawlee crawl that warms the Sandbox's cover cache before the unthrottled runs
  --no-first-row      skip the ./run.sh measurements
  --lock FILE         the lock every ./run.sh on this machine is run under (default /tmp/runsh.lock)
  --count-fast        also count storage transactions in the unthrottled runs (through the proxy)
  --soak              ~10,000 playlists (100 pages), unthrottled, RSS sampled every 2 s; reports the slope
  --soak-pages N      pages per category for --soak (default 100)
  --soak-minutes M    stop the soak after M minutes if it has not finished, and report what it did (default 15;
                      45 with --whole-site)
  --whole-site        with --soak: the whole Sandbox site (every category full, --soak-pages each, default 45: the
                      menu's 72 categories give 105,402 rows), started with POST /api/crawls {"categories":["all"],
                      "maxPages":0}, storage counted, status reads timed, the entity's state size read, the export
                      checked against the Sandbox's /_sandbox/expected
  --daily             the daily refresh (issue 18) on the whole Sandbox site (every category full, --daily-pages each),
                      each crawl POST /api/crawls {"categories":["all"],"maxPages":0}, unthrottled, storage counted:
                      day 0 through the JSON lists (fresh storage), day 1 through them on the same storage (the Sandbox
                      restarted on its port with --Sandbox:Day=1), day 0 through the HTML pages (fresh storage); site
                      requests by kind, per playlist, the time at 2 req/s, storage per playlist, status figures, every
                      export against /_sandbox/expected for its day, the two day-0 exports against each other, the goals
                      and the Azure cost of a daily refresh; first a short refresh at --rate (default 2) req/s on
                      --polite-pages (default 2) pages for the politeness efficiency. Results: daily-*.{md,json}
  --daily-pages N     with --daily: Sandbox pages per category (default 38, a real category's size: 88,973 rows on day 0,
                      over 1 h on 2 shared cores; 12: 27,858 rows, ~16 min; 3 for a quick look, ~7 min). Fewer than 38
                      are also projected to 38 from the Sandbox's truth at that size
  --daily-minutes M   with --daily: give up a crawl that has not completed after M minutes (default 40)
  --no-polite         with --daily: skip the short polite refresh; the time figures then use the efficiency
                      docs/performance.md quotes (0.961, measured at 20 req/s)
  --plain-azurite     with --whole-site or --daily: Azurite without lib/azurite-queue-patch.cjs (its queue scans then stall the
                      crawl once ~10,000 messages are queued; see bench/README.md)
  --results DIR       where the JSON and the table go (default bench/results)
  --keep              keep the temporary folders (logs, exports, Crawlee storage)
  --host-root DIR     run the host built in another checkout (its Release build and its host.json), e.g. a scratch
                      copy with a change to try; bench/run.sh builds only this repo, so build that copy first
                      (the first-row measurement always runs this checkout's ./run.sh)
  --host-env K=V      environment for the host only (repeatable), e.g. --host-env DOTNET_gcServer=0
  --label TEXT        a note saved with the results (what this run tried)`;
}

const opts = parseArgs(process.argv.slice(2));
if (opts.help) { console.log(usage()); process.exit(0); }
const rate = Number(opts.rate ?? 20);
const fastRate = Number(opts['fast-rate'] ?? 10000);
const soak = Boolean(opts.soak);
const daily = Boolean(opts.daily);
const dailySettings = {
  pages: Number(opts['daily-pages'] ?? 38), politePages: Number(opts['polite-pages'] ?? 2), politeRate: Number(opts.rate ?? 2),
  polite: !opts['no-polite'], capMs: Number(opts['daily-minutes'] ?? 40) * 60_000, plainAzurite: Boolean(opts['plain-azurite']),
};
const wholeSite = soak && Boolean(opts['whole-site']);
const pages = Number(soak ? opts['soak-pages'] ?? (wholeSite ? 45 : 100) : opts.pages ?? 25);
const categories = (opts.categories ?? (soak ? '说唱,华语,全部' : '说唱,华语')).split(',').map((c) => c.trim()).filter(Boolean);
const politePages = Math.min(pages, Number(opts['polite-pages'] ?? 10));
const repeat = Math.max(1, Math.round(Number(opts.repeat ?? 3)));
const runshLock = opts.lock ?? '/tmp/runsh.lock';
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

  if (daily) return save(await runDaily(dailyTools(), { ...dailySettings, machine, label: opts.label ?? null }), 'daily', dailyTable);
  const site = await startSandbox(pages, wholeSite ? ['--Sandbox:AllPagesFull=true'] : []);
  const results = { date: new Date().toISOString(), machine, settings: { rate, fastRate, pages, categories: wholeSite ? ['all'] : categories, idleSeconds, soak, wholeSite, hostRoot, hostEnv, label: opts.label ?? null }, runs: {} };

  if (wholeSite) {
    results.settings.queuePatch = !opts['plain-azurite'];
    results.runs.wholeSite = await runWholeSite('whole-site', { rps: Number(opts.rate ?? fastRate), site, capMs: Number(opts['soak-minutes'] ?? 45) * 60_000 });
  } else if (soak) {
    results.runs.soak = await runSoak('soak', { rps: Number(opts.rate ?? fastRate), site, capMs: Number(opts['soak-minutes'] ?? 15) * 60_000 });
  } else {
    await sideBySide(results, site);
  }
  results.machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  await stop(site.process);

  save(results, wholeSite ? 'whole-site' : soak ? 'soak' : 'bench', wholeSite ? wholeSiteTable : soak ? soakTable : sideBySideTable);
}

/** Prints the table and saves it with the raw figures in the results folder: `<name>-<date>` and `<name>-latest`. */
function save(results, name, toTable) {
  const table = toTable(results);
  console.log('\n' + table);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-').slice(0, 19);
  for (const file of [`${name}-${stamp}`, `${name}-latest`]) {
    writeFileSync(join(resultsDir, `${file}.json`), JSON.stringify(results, stripPaths, 2));
    writeFileSync(join(resultsDir, `${file}.md`), table + '\n');
  }
  log(`results in ${join(resultsDir, `${name}-latest.{json,md}`)}`);
}

/** What lib/daily.mjs uses of this bench: its processes, storage, figures and checks. */
function dailyTools() {
  return { log, work, hostDll, hostRoot, hostEnv, fastRate, track, startSandbox, startStorage, siteWindow, storageFigures, arrivalFigures,
    checkExport, checkFinalStatus, watchHostLog, busyShare, otherCpu };
}

// ---------------------------------------------------------------------------------------------------------
// The side-by-side: both crawlers on the same Sandbox pages, `repeat` runs of each, alternating who goes first

async function sideBySide(results, site) {
  const withOurs = only !== 'crawlee', withCrawlee = only !== 'ours';
  const fast = which !== 'polite', polite = which !== 'fast';
  Object.assign(results.settings, { politePages, repeat, lock: runshLock });
  const runs = results.runs = { firstRow: [], oursFast: [], crawleeFast: [], oursPolite: [], crawleePolite: [] };
  // The time to the first row first: right after bench/run.sh's build, as warm as a build gets.
  let flock = true;
  try { execFileSync('flock', ['--version'], { stdio: 'ignore' }); } catch { flock = false; }
  if (withOurs && !opts['no-first-row'] && !flock) runs.firstRow.push({ seconds: null, error: 'flock (util-linux) not found: ./run.sh must run under flock /tmp/runsh.lock', load1: os.loadavg()[0] });
  else if (withOurs && !opts['no-first-row'])
    for (let i = 0; i < repeat; i++) runs.firstRow.push(await measureFirstRow(`first-row-${i + 1}`, { lock: runshLock, crawlPages: pages }));
  if (fast) {
    // Covers are drawn on first request, then cached: an unreported crawl first, so every reported run meets a warm site.
    if (!opts['no-warm']) { log('warming the Sandbox (an unreported Crawlee crawl)'); await runCrawlee('warm-up', { rpm: 0, site }); }
    for (let i = 0; i < repeat; i++) {
      const order = i % 2 === 0 ? ['ours', 'crawlee'] : ['crawlee', 'ours'];
      for (const who of order) {
        if (who === 'ours' && withOurs) runs.oursFast.push(await runOurs(`ours-fast-${i + 1}`, { rps: fastRate, site, countStorage: Boolean(opts['count-fast']) }));
        if (who === 'crawlee' && withCrawlee) runs.crawleeFast.push(await runCrawlee(`crawlee-fast-${i + 1}`, { rpm: 0, site }));
      }
    }
    if (runs.oursFast[0]?.csv && runs.crawleeFast[0]?.csv) results.sameOutput = compareCsv(runs.oursFast[0].csv, runs.crawleeFast[0].csv);
  }
  if (polite) {
    // A Sandbox of its own, the same pages, logging every request's arrival for the sliding one-second window.
    const logged = await startSandbox(pages, [], { arrivals: true, name: 'sandbox-polite' });
    for (let i = 0; i < repeat; i++) {
      const order = i % 2 === 0 ? ['ours', 'crawlee'] : ['crawlee', 'ours'];
      for (const who of order) {
        if (who === 'ours' && withOurs)
          runs.oursPolite.push(await runOurs(`ours-polite-${i + 1}`, { rps: rate, site: logged, crawlPages: politePages, countStorage: true, idle: i === 0 ? idleSeconds : 0 }));
        if (who === 'crawlee' && withCrawlee)
          runs.crawleePolite.push(await runCrawlee(`crawlee-polite-${i + 1}`, { rpm: Math.round(rate * 60), site: logged, crawlPages: politePages }));
      }
    }
    await stop(logged.process);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Sandbox, Azurite and the storage proxy

async function startSandbox(pagesPerCategory, extra = [], { arrivals = false, name = 'sandbox', port: fixedPort = null } = {}) {
  const port = fixedPort ?? await freePort();
  // With `arrivals`, ASP.NET Core's own request log (its default configuration read from the environment) stamps every
  // request as it starts, in UTC to 100 ns: the arrival times the Sandbox sees, for the sliding-window politeness figure.
  const env = arrivals ? {
    'Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics': 'Information',
    Logging__Console__FormatterOptions__UseUtcTimestamp: 'true',
    Logging__Console__FormatterOptions__TimestampFormat: 'yyyy-MM-ddTHH:mm:ss.fffffff ',
  } : {};
  let p;
  for (let attempt = 1; ; attempt++) {
    p = track(start(name, 'dotnet', [sandboxDll, '--urls', `http://127.0.0.1:${port}`, `--Sandbox:PagesPerCategory=${pagesPerCategory}`, ...extra],
      { cwd: root, env, logPath: join(work, `${name}${attempt > 1 ? `-${attempt}` : ''}.log`) }));
    const ready = waitLine(p, /Sandbox site listening/, 60_000);
    ready.catch(() => {});
    const seen = arrivals ? [] : null;
    if (seen) {
      p.lines.on('line', ({ line }) => {
        const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{7}) info: Microsoft\.AspNetCore\.Hosting\.Diagnostics\[1\] Request starting \S+ \S+ https?:\/\/[^/]+(\/\S*)/.exec(line);
        if (m && !m[3].startsWith('/_sandbox/')) seen.push(Date.parse(`${m[1]}Z`) + Number(m[2]) / 1e4);
      });
    }
    try {
      await ready;
    } catch (e) {
      // Restarted on the port it had (the daily refresh's next day): the old process's socket may hold it a moment longer.
      if (!fixedPort || !p.done || attempt >= 10) throw e;
      await sleep(1000);
      continue;
    }
    p.arrivalsSeen = seen;
    break;
  }
  const baseUrl = `http://127.0.0.1:${port}/`;
  log(`Sandbox on ${baseUrl} (${pagesPerCategory} pages per category${extra.length ? `, ${extra.join(' ')}` : ''}${arrivals ? ', arrival times logged' : ''})`);
  return {
    process: p, baseUrl, port, arrivals: p.arrivalsSeen, stats: async () => (await fetch(`${baseUrl}_sandbox/stats`)).json(),
    expected: async (names, maxPages) => (await fetch(`${baseUrl}_sandbox/expected?categories=${encodeURIComponent(names.join(','))}&maxPages=${maxPages}`)).json(),
  };
}

async function startStorage(label, countStorage, { patchQueue = false } = {}) {
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  // With the queue patch Azurite runs under this Node with lib/azurite-queue-patch.cjs preloaded (see that file).
  const [command, prefix] = patchQueue ? [process.execPath, ['--require', queuePatch, azuriteMain]] : [azuriteBin, []];
  // As ./run.sh keeps it: data (cover bytes included) on disk, not in Azurite's memory. The whole-site soak keeps it in
  // memory, where the queue patch applies.
  const persistence = patchQueue ? ['--inMemoryPersistence'] : ['--location', mkdtempSync(join(work, `${label}-azurite-`))];
  const azurite = track(start('azurite', command, [...prefix, '--silent', '--skipApiVersionCheck', '--disableTelemetry', ...persistence,
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

async function runOurs(label, { rps, site, countStorage, idle = 0, crawlPages = pages, sampleEveryMs = 1000, timeoutMs = 20 * 60_000, capMs = 0 }) {
  log(`${label}: FunctionsCrawler at ${rps} req/s, ${crawlPages} pages${countStorage ? ', storage counted' : ''}`);
  const arrivalsFrom = site.arrivals?.length ?? 0;
  const storage = await startStorage(label, countStorage);
  const out = join(work, `${label}-out`);
  const port = await freePort();
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = otherCpu([site.process, storage.azurite, storage.proxy]);
  const load = os.loadavg()[0];
  const host = track(start('host', 'dotnet', [hostDll, '--settings-dir', hostRoot, `--AzureWebJobsStorage=${storage.connectionString}`,
    `--NetEase:BaseUrl=${site.baseUrl}`, `--NetEase:RequestsPerSecond=${rps}`, `--Crawler:Categories=${categories.join(',')}`,
    `--Crawler:MaxPages=${crawlPages}`, '--Run:Crawl=true', '--Run:Once=false', '--Run:New=true', `--Run:Out=${out}`, '--Run:LineSeconds=1',
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
  const azuriteAtEnd = readProc(storage.azurite.pid);
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
  const arrivals = site.arrivals ? await arrivalsSince(site, arrivalsFrom) : null;

  const rows = Number(exported.match[1]);
  // "Command start" is Azurite's spawn: ./run.sh starts storage, then the host (its build is timed by firstRow).
  const commandStart = storage.azurite.startedAt;
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
    // The side-by-side figures: the whole command (Azurite + host) from Azurite's spawn to the export written.
    whole: {
      wallSeconds: (exported.at - commandStart) / 1000,
      rowsPerSecond: rows / ((exported.at - commandStart) / 1000),
      steadyRowsPerSecond: steadyWork(requests.perSecond, rows),
      steadyRowsDonePerSecond: steadyRate(progress.map((p) => ({ t: p.t, rows: p.done })), rows),
      cpuSeconds: atEnd.cpuWithChildren + azuriteAtEnd.cpuWithChildren,
      cpuMsPerPlaylist: ((atEnd.cpuWithChildren + azuriteAtEnd.cpuWithChildren) / rows) * 1000,
      hostCpuSeconds: atEnd.cpuWithChildren, azuriteCpuSeconds: azuriteAtEnd.cpuWithChildren,
      peakRssMiB: (atEnd.hwmKiB + azuriteAtEnd.hwmKiB) / 1024, hostPeakRssMiB: atEnd.hwmKiB / 1024, azuritePeakRssMiB: azuriteAtEnd.hwmKiB / 1024,
    },
    arrivals: arrivals ? arrivalFigures(arrivals, rps) : null,
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
function checkFinalStatus(status, expected, { apiLists = false } = {}) {
  const p = status.playlists;
  // The JSON list answers leave deleted playlists out (the HTML list pages show them, and the crawl skips them).
  const deleted = (c) => (apiLists ? 0 : c.deletedPairs);
  const checks = [
    ['state', status.state, 'completed'],
    ['playlists.done', p.done, expected.rows],
    ['playlists.skipped', p.skipped, deleted(expected)],
    ['playlists.failed', p.failed, 0],
    ['playlists.discovered', p.discovered, expected.rows + deleted(expected)],
    ['pages.total', status.pages.total, expected.pages],
    ['pages.done', status.pages.done, expected.pages],
    ['covers.stored', status.covers.stored, expected.coversStored],
  ];
  const byName = new Map((status.byCategory ?? []).map((c) => [c.category, c]));
  for (const c of expected.categories) {
    const got = byName.get(c.category);
    checks.push([`${c.category}.done`, got?.done, c.rows], [`${c.category}.skipped`, got?.skipped, deleted(c)],
      [`${c.category}.discovered`, got?.discovered, c.rows + deleted(c)], [`${c.category}.pagesTotal`, got?.pagesTotal, c.pages],
      [`${c.category}.pagesDone`, got?.pagesDone, c.pages], [`${c.category}.failed`, got?.failed, 0]);
  }
  const wrong = checks.filter(([, got, want]) => got !== want).map(([what, got, want]) => ({ what, got, want }));
  return { exact: wrong.length === 0, checked: checks.length, wrong, coversBytes: status.covers.bytes, categories: status.categories?.length };
}

// ---------------------------------------------------------------------------------------------------------
// Time to the first row: the user's own command, ./run.sh --sandbox, with the build already warm

/**
 * Runs the real ./run.sh (under `flock lock`, as every ./run.sh on this machine must run: fixed ports 7071 and
 * 10000-10002) and times, from the moment the lock is taken, its steps (from its own lines) up to the first moment
 * GET /api/crawls/{id} on 7071 counts a playlist done — what the terminal view shows at its next refresh. Then
 * stops run.sh with SIGTERM (its cleanup stops the host, the Sandbox and Azurite). Its Azurite keeps its data in
 * the checkout's .azurite/ as for any ./run.sh; --new cancels the crawl the previous measurement left unfinished.
 */
async function measureFirstRow(label, { lock, crawlPages, pollMs = 100, lockWaitSeconds = 300 }) {
  const out = join(work, `${label}-out`);
  const args = ['-w', `${lockWaitSeconds}`, lock, 'bash', '-c', 'echo "lock taken $$"; exec ./run.sh "$@"', 'run.sh', '--sandbox', '--new',
    ...categories.flatMap((c) => ['--category', c]), '--max-pages', `${crawlPages}`, '--sandbox-arg', `--Sandbox:PagesPerCategory=${crawlPages}`, '--out', out];
  log(`${label}: flock ${lock} ./run.sh ${args.slice(args.indexOf('run.sh') + 1).join(' ')}`);
  const p = track(start('run.sh', 'flock', args, { cwd: root, logPath: join(work, `${label}-run.sh.log`) }));
  // run.sh's own lines: "Building…", then (build done, Azurite up) "Azurite started", "Sandbox site on …", the host's "Started crawl".
  const wait = (pattern) => waitLine(p, pattern, (lockWaitSeconds + 180) * 1000);
  const [lockLine, building, storageLine, sandboxLine, crawlLine] = [/^lock taken (\d+)/, /^Building/, /^(Using the Azurite|Azurite started)/,
    /^Sandbox site on/, /^Started crawl (\S+):/].map(wait);
  for (const line of [building, storageLine, sandboxLine, crawlLine]) line.catch(() => {});
  let runPid = null;
  try {
    const locked = await lockLine;
    runPid = Number(locked.match[1]);
    const t0 = locked.at;
    const crawl = await crawlLine;
    const crawlId = crawl.match[1];
    let firstRowAt = null;
    const until = now() + 120_000;
    while (!firstRowAt && now() < until && !p.done) {
      try {
        const r = await fetch(`http://127.0.0.1:7071/api/crawls/${encodeURIComponent(crawlId)}`, { signal: AbortSignal.timeout(5_000) });
        if (r.ok && ((await r.json()).playlists?.done ?? 0) >= 1) firstRowAt = now();
        else if (!r.ok) await r.arrayBuffer();
      } catch { /* not up yet */ }
      if (!firstRowAt) await sleep(pollMs);
    }
    if (!firstRowAt) throw new Error(`no playlist done within 120 s of the crawl's start\n${tail(p)}`);
    const since = (x) => (x ? +((x.at - t0) / 1000).toFixed(2) : null);
    // A line not seen by now never comes (run.sh skips "Building…" when nothing changed): don't wait for it.
    const seen = (line) => Promise.race([line.catch(() => null), sleep(0).then(() => null)]);
    const steps = { building: since(await seen(building)), storageReady: since(await seen(storageLine)),
      sandbox: since(await seen(sandboxLine)), crawlStarted: since(crawl) };
    const seconds = (firstRowAt - t0) / 1000;
    log(`${label}: first row ${seconds.toFixed(2)} s after ./run.sh (build done and Azurite up ${steps.storageReady} s, Sandbox ${steps.sandbox} s, crawl started ${steps.crawlStarted} s)`);
    return { seconds, steps, crawlId, load1: os.loadavg()[0] };
  } catch (e) {
    log(`${label}: not measured: ${String(e.message ?? e).split('\n')[0]}`);
    return { seconds: null, error: String(e.message ?? e).split('\n')[0], load1: os.loadavg()[0] };
  } finally {
    // run.sh traps TERM and stops its host, Sandbox and Azurite in order; flock exits with it.
    if (runPid && !p.done) { try { process.kill(runPid, 'SIGTERM'); } catch { /* gone */ } }
    const exited = await Promise.race([p.exited, sleep(30_000).then(() => null)]);
    if (!exited) await stop(p);
  }
}

// ---------------------------------------------------------------------------------------------------------
// One crawl by the Crawlee reference crawler

async function runCrawlee(label, { rpm, site, crawlPages = pages, timeoutMs = 20 * 60_000 }) {
  log(`${label}: Crawlee CheerioCrawler${rpm ? ` at maxRequestsPerMinute ${rpm}` : ' unthrottled'}, ${crawlPages} pages`);
  const arrivalsFrom = site.arrivals?.length ?? 0;
  const out = join(work, `${label}-out`);
  const storageDir = join(work, `${label}-crawlee-storage`);
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = otherCpu([site.process]);
  const load = os.loadavg()[0];
  // --hold: after the export it waits to be stopped, so its CPU (children included) and VmHWM are read from /proc as ours are.
  const args = [crawleeScript, '--base-url', site.baseUrl, '--categories', categories.join(','), '--max-pages', `${crawlPages}`, '--out', out, '--hold'];
  if (rpm) args.push('--rpm', `${rpm}`);
  const crawler = track(start('crawlee', process.execPath, args,
    { cwd: join(benchDir, 'crawlee'), env: { CRAWLEE_STORAGE_DIR: storageDir }, logPath: join(work, `${label}.log`) }));
  const progress = [];
  crawler.lines.on('line', ({ line, at }) => {
    const m = /^progress (\d+)$/.exec(line);
    if (m) progress.push({ t: at, rows: +m[1] });
  });
  // Every awaited line is listened for before the one before it arrives: lines read in one chunk come out together.
  const statsLine = waitLine(crawler, /^stats (.*)$/, timeoutMs);
  const exportedLine = waitLine(crawler, /^Exported (\d+) rows and (\d+) covers/, timeoutMs);
  const firstRowLine = waitLine(crawler, /^first row$/, timeoutMs);
  for (const line of [statsLine, exportedLine, firstRowLine]) line.catch(() => {});
  const connections = watchConnections(site.port);
  const begun = await waitLine(crawler, /^crawl started/, 60_000);
  const exported = await exportedLine;
  const stats = JSON.parse((await statsLine).match[1]);
  const atEnd = readProc(crawler.pid);
  const firstRow = await firstRowLine.catch(() => null);
  const siteConnections = connections.stop();
  await stop(crawler);
  const statsAfter = await site.stats();
  const arrivals = site.arrivals ? await arrivalsSince(site, arrivalsFrom) : null;
  const rows = Number(exported.match[1]);
  const limit = rpm ? rpm / 60 : fastRate;
  const requests = siteWindow(statsBefore, statsAfter, limit);
  const crawlSeconds = (exported.at - begun.at) / 1000;
  const cpuSeconds = atEnd?.cpuWithChildren ?? stats.cpuSeconds;
  const result = {
    label, rpm, rows, covers: Number(exported.match[2]), csv: join(out, 'playlists.csv'), load1: load,
    machineBusy: busyShare(cpuBefore, machineCpu()),
    startupSeconds: (begun.at - crawler.startedAt) / 1000,
    crawlSeconds, totalSeconds: (exported.at - crawler.startedAt) / 1000,
    playlistsPerSecond: rows / crawlSeconds,
    playlistsPerSecondFromProcessStart: rows / ((exported.at - crawler.startedAt) / 1000),
    firstRowSeconds: firstRow ? (firstRow.at - crawler.startedAt) / 1000 : null,
    site: requests,
    cpu: { total: cpuSeconds, perThousandIncludingStartup: (cpuSeconds / rows) * 1000, sandbox: others()[0] },
    memory: { peakRssMiB: (atEnd?.hwmKiB ?? stats.maxRssKiB) / 1024 },
    siteConnections,
    whole: {
      wallSeconds: (exported.at - crawler.startedAt) / 1000,
      rowsPerSecond: rows / ((exported.at - crawler.startedAt) / 1000),
      steadyRowsPerSecond: steadyWork(requests.perSecond, rows),
      steadyRowsDonePerSecond: steadyRate(progress, rows),
      cpuSeconds, cpuMsPerPlaylist: (cpuSeconds / rows) * 1000,
      peakRssMiB: (atEnd?.hwmKiB ?? stats.maxRssKiB) / 1024,
    },
    arrivals: arrivals ? arrivalFigures(arrivals, limit) : null,
  };
  log(`${label}: ${rows} rows in ${result.whole.wallSeconds.toFixed(1)} s from process start (${result.whole.rowsPerSecond.toFixed(1)}/s), `
    + `${requests.requests} site requests, busiest second ${requests.busiest}${result.arrivals ? `, busiest sliding second ${result.arrivals.busiestWindow}` : ''}`);
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

/** Rows per second in the crawl's middle: from 20 % to 80 % of its rows (moments interpolated between progress readings). */
function steadyRate(progress, rows) {
  const at = (share) => {
    const goal = rows * share;
    const i = progress.findIndex((p) => p.rows >= goal);
    if (i < 0) return null;
    const b = progress[i], a = progress[i - 1];
    return !a || b.rows === a.rows ? b.t : a.t + ((goal - a.rows) / (b.rows - a.rows)) * (b.t - a.t);
  };
  const from = at(0.2), to = at(0.8);
  return from != null && to != null && to > from ? (rows * 0.6) / ((to - from) / 1000) : null;
}

/**
 * Rows per second in the crawl's middle, measured on the site's work: the middle 60 % of the crawl's site requests
 * (from the 20 % to the 80 % mark, interpolated within the Sandbox's whole-second counts) ÷ their time, converted
 * to rows at the crawl's own rows per request. Both crawlers make the same requests, in different orders (Crawlee
 * fetches most covers last, so its rows complete in a burst at the end), so this does not depend on the order.
 */
function steadyWork(perSecond, rows) {
  const total = perSecond.reduce((n, [, c]) => n + c, 0);
  const at = (share) => {
    const goal = total * share;
    let sum = 0;
    for (const [second, count] of perSecond) {
      if (sum + count >= goal) return second + (goal - sum) / count;
      sum += count;
    }
    return null;
  };
  const from = at(0.2), to = at(0.8);
  return total && to > from ? (rows * 0.6) / (to - from) : null;
}

/** The Sandbox's arrival stamps since index `from`, once its console log has caught up. */
async function arrivalsSince(site, from) {
  await sleep(500);
  return site.arrivals.slice(from);
}

/**
 * Politeness from the arrival times the Sandbox logged: efficiency = the rate between the first and the last
 * arrival ÷ the limit ((n − 1) requests in t_last − t_first; 1.0 for perfect pacing), and the busiest one-second
 * sliding window = the most arrivals in any [t, t + 1 s).
 */
function arrivalFigures(times, limit) {
  const t = [...times].sort((a, b) => a - b);
  let busiest = 0, over = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (j < t.length && t[j] < t[i] + 1000) j++;
    busiest = Math.max(busiest, j - i);
    if (j - i > limit) over++;
  }
  const span = t.length > 1 ? (t.at(-1) - t[0]) / 1000 : 0;
  return { requests: t.length, spanSeconds: span, efficiency: span ? (t.length - 1) / span / limit : null, busiestWindow: busiest, windowsOverLimit: over };
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

/** Median, min and max of the figure `pick` over a list of runs (nulls left out). */
function spread(list, pick) {
  const v = list.map(pick).filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return { median: v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2, min: v[0], max: v.at(-1), n: v.length };
}

function sideBySideTable(r) {
  const { firstRow, oursFast, crawleeFast, oursPolite, crawleePolite } = r.runs;
  const f = (x, d = 2) => (x == null || Number.isNaN(x) ? '—' : Number(x).toFixed(d));
  const cell = (x, d = 1, unit = '') => (!x ? '—' : x.n > 1 ? `**${f(x.median, d)}**${unit} (${f(x.min, d)}–${f(x.max, d)})` : `**${f(x.median, d)}**${unit}`);
  const ratio = (a, b) => (a && b && b.median ? a.median / b.median : null);
  const verdict = (ok, miss) => (ok == null ? '—' : ok ? 'met' : `missed ${miss}`);
  const lim = r.settings.rate;

  const wall = [spread(oursFast, (x) => x.whole.rowsPerSecond), spread(crawleeFast, (x) => x.whole.rowsPerSecond)];
  const steady = [spread(oursFast, (x) => x.whole.steadyRowsPerSecond), spread(crawleeFast, (x) => x.whole.steadyRowsPerSecond)];
  const cpu = [spread(oursFast, (x) => x.whole.cpuMsPerPlaylist), spread(crawleeFast, (x) => x.whole.cpuMsPerPlaylist)];
  const rss = [spread(oursFast, (x) => x.whole.peakRssMiB), spread(crawleeFast, (x) => x.whole.peakRssMiB)];
  const tx = spread(oursPolite, (x) => x.storage?.perPlaylist);
  const txWhole = spread(oursPolite, (x) => x.storage && (x.storage.perPlaylist + x.storage.startupTransactions / x.rows + x.storage.exportTransactionsPerRow));
  const first = [spread(firstRow, (x) => x.seconds), spread(crawleeFast, (x) => x.firstRowSeconds)];
  const eff = [spread(oursPolite, (x) => x.arrivals?.efficiency), spread(crawleePolite, (x) => x.arrivals?.efficiency)];
  const win = [spread(oursPolite, (x) => x.arrivals?.busiestWindow), spread(crawleePolite, (x) => x.arrivals?.busiestWindow)];

  const wallRatio = ratio(...wall), cpuRatio = ratio(...cpu);
  const rows = (list) => (list.length ? [...new Set(list.map((x) => x.rows))].join('/') : '—');
  const lines = [];
  lines.push(`# bench, side by side: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.settings.label ? ` — ${r.settings.label}` : ''}`);
  if (r.settings.hostRoot !== root || Object.keys(r.settings.hostEnv).length)
    lines.push('', `Host: ${r.settings.hostRoot}${Object.keys(r.settings.hostEnv).length ? `, environment ${Object.entries(r.settings.hostEnv).map(([k, v]) => `${k}=${v}`).join(' ')}` : ''}`);
  lines.push('');
  lines.push(`Machine: ${r.machine.nproc} cores, ${r.machine.cpuModel}, ${r.machine.memory}; load average before ${r.machine.loadBefore}, after ${r.machine.loadAfter}. `
    + `Sandbox: ${r.settings.pages} pages per category. Unthrottled crawls: ${r.settings.categories.join(', ')} × ${r.settings.pages} pages (${rows(oursFast)} rows ours, ${rows(crawleeFast)} Crawlee's), covers included; `
    + `polite crawls at ${lim} req/s: × ${r.settings.politePages} pages (${rows(oursPolite)} / ${rows(crawleePolite)} rows). `
    + `${r.settings.repeat} run${r.settings.repeat > 1 ? 's' : ''} of each, alternating which crawler goes first; **median** (min–max).`);
  lines.push('');
  lines.push('| figure | FunctionsCrawler | Crawlee 3.18.1 | ratio (ours ÷ Crawlee) | goal | verdict |');
  lines.push('|---|---|---|---|---|---|');
  lines.push(`| wall rows/s, command start → export written, unthrottled | ${cell(wall[0])} | ${cell(wall[1])} | ${f(wallRatio, 2)} | ≥ 1.5 × Crawlee's | ${wallRatio == null ? '—' : verdict(wallRatio >= 1.5, `by ${f((1.5 - wallRatio) / 1.5 * 100, 0)} % (${f(wall[0].median, 1)} of the ${f(1.5 * wall[1].median, 1)} rows/s needed)`)} |`);
  lines.push(`| steady-state rows/s: the middle 60 % of the site requests, in rows, unthrottled | ${cell(steady[0])} | ${cell(steady[1])} | ${f(ratio(...steady), 2)} | | |`);
  lines.push(`| CPU ms per playlist, all processes (ours: host + Azurite; Crawlee: node and its children), whole run, unthrottled | ${cell(cpu[0])} | ${cell(cpu[1])} | ${f(cpuRatio, 2)} | ≤ Crawlee's | ${cpuRatio == null ? '—' : verdict(cpuRatio <= 1, `by ${f((cpuRatio - 1) * 100, 0)} % (+${f(cpu[0].median - cpu[1].median, 1)} ms)`)} |`);
  lines.push(`| peak RSS MiB (ours: host + Azurite with its data on disk, VmHWM), unthrottled | ${cell(rss[0], 0)} | ${cell(rss[1], 0)} | ${f(ratio(...rss), 2)} | ≤ 400 MiB | ${rss[0] ? verdict(rss[0].median <= 400, `by ${f(rss[0].median - 400, 0)} MiB`) : '—'} |`);
  lines.push(`| storage transactions per playlist, crawl phase of the polite crawl | ${cell(tx, 2)} (whole run ${txWhole ? f(txWhole.median, 2) : '—'}) | none (local files) | | ≤ 4 | ${tx ? verdict(tx.median <= 4, `by ${f(tx.median - 4, 2)}`) : '—'} |`);
  lines.push(`| first row, s: ours after \`./run.sh --sandbox\` (warm build, under flock); Crawlee after \`node crawl.mjs\` | ${cell(first[0], 2)} | ${cell(first[1], 2)} | ${f(ratio(...first), 2)} | ≤ 5 s | ${first[0] ? verdict(first[0].median <= 5, `by ${f(first[0].median - 5, 2)} s`) : firstRow.length ? `not measured: ${firstRow[0].error}` : '—'} |`);
  lines.push(`| politeness efficiency at ${lim} req/s: (arrivals − 1) ÷ (last − first arrival) ÷ limit | ${cell(eff[0], 3)} | ${cell(eff[1], 3)} | ${f(ratio(...eff), 2)} | ≥ 0.97 | ${eff[0] ? verdict(eff[0].median >= 0.97, `by ${f(0.97 - eff[0].median, 3)}`) : '—'} |`);
  lines.push(`| busiest one-second sliding window at the Sandbox (limit ${lim}) | ${cell(win[0], 0)} | ${cell(win[1], 0)} | | ≤ ${lim} | ${win[0] ? verdict(win[0].max <= lim, `by ${win[0].max - lim} (worst run)`) : '—'} |`);

  // What the bench measured before the side-by-side, kept: the parts of the figures above, and the older definitions.
  const part = (list, pick, d = 1) => cell(spread(list, pick), d);
  lines.push('', '| detail | FunctionsCrawler | Crawlee 3.18.1 |', '|---|---|---|');
  lines.push(`| unthrottled: wall seconds, command start → export written | ${part(oursFast, (x) => x.whole.wallSeconds)} | ${part(crawleeFast, (x) => x.whole.wallSeconds)} |`);
  lines.push(`| … of which start-up (to the first request) / export | ${part(oursFast, (x) => x.whole.wallSeconds - x.crawlSeconds)} / ${part(oursFast, (x) => x.exportSeconds)} s | ${part(crawleeFast, (x) => x.startupSeconds)} s / (in the crawl) |`);
  lines.push(`| unthrottled rows/s done from 20 % to 80 % of the rows (ours: the host's progress lines; Crawlee: rows complete, cover included) | ${part(oursFast, (x) => x.whole.steadyRowsDonePerSecond)} | ${part(crawleeFast, (x) => x.whole.steadyRowsDonePerSecond)} |`);
  lines.push(`| unthrottled rows/s, first request → CSV written (the earlier bench's figure) | ${part(oursFast, (x) => x.playlistsPerSecond)} | ${part(crawleeFast, (x) => x.playlistsPerSecond)} |`);
  lines.push(`| CPU s, whole run: host / Azurite | ${part(oursFast, (x) => x.whole.hostCpuSeconds)} / ${part(oursFast, (x) => x.whole.azuriteCpuSeconds)} | ${part(crawleeFast, (x) => x.whole.cpuSeconds)} |`);
  lines.push(`| host CPU s per 1,000 playlists, crawl only (Started crawl → Exported) | ${part(oursFast, (x) => x.cpu.perThousandPlaylists)} | |`);
  lines.push(`| peak RSS MiB: host / Azurite | ${part(oursFast, (x) => x.whole.hostPeakRssMiB, 0)} / ${part(oursFast, (x) => x.whole.azuritePeakRssMiB, 0)} | |`);
  lines.push(`| Sandbox CPU s per unthrottled run; machine busy % | ${part(oursFast, (x) => x.cpu.sandbox)}; ${part(oursFast, (x) => x.machineBusy * 100, 0)} % | ${part(crawleeFast, (x) => x.cpu.sandbox)}; ${part(crawleeFast, (x) => x.machineBusy * 100, 0)} % |`);
  lines.push(`| unthrottled: connections opened to the site / most at once; busiest whole second | ${part(oursFast, (x) => x.siteConnections?.distinctClientPorts, 0)} / ${part(oursFast, (x) => x.siteConnections?.mostOpen, 0)}; ${part(oursFast, (x) => x.site.busiest, 0)} req/s | ${part(crawleeFast, (x) => x.siteConnections?.distinctClientPorts, 0)} / ${part(crawleeFast, (x) => x.siteConnections?.mostOpen, 0)}; ${part(crawleeFast, (x) => x.site.busiest, 0)} req/s |`);
  lines.push(`| polite: efficiency by whole seconds, (requests ÷ limit) ÷ (last − first second + 1) | ${part(oursPolite, (x) => x.site.efficiency, 3)} | ${part(crawleePolite, (x) => x.site.efficiency, 3)} |`);
  lines.push(`| polite: busiest whole second (/_sandbox/stats); sliding windows over the limit | ${part(oursPolite, (x) => x.site.busiest, 0)}; ${part(oursPolite, (x) => x.arrivals?.windowsOverLimit, 0)} | ${part(crawleePolite, (x) => x.site.busiest, 0)}; ${part(crawleePolite, (x) => x.arrivals?.windowsOverLimit, 0)} |`);
  lines.push(`| polite: time lost vs a full-rate crawl, first 10 s / middle / last 10 s | ${part(oursPolite, (x) => x.site.shortfallSeconds?.start)} / ${part(oursPolite, (x) => x.site.shortfallSeconds?.middle)} / ${part(oursPolite, (x) => x.site.shortfallSeconds?.end)} s | ${part(crawleePolite, (x) => x.site.shortfallSeconds?.start)} / ${part(crawleePolite, (x) => x.site.shortfallSeconds?.middle)} / ${part(crawleePolite, (x) => x.site.shortfallSeconds?.end)} s |`);
  if (firstRow.some((x) => x.steps))
    lines.push(`| first row: ./run.sh's steps, s after it started (build done and Azurite up / Sandbox up / crawl started / first row) | ${part(firstRow, (x) => x.steps?.storageReady, 2)} / ${part(firstRow, (x) => x.steps?.sandbox, 2)} / ${part(firstRow, (x) => x.steps?.crawlStarted, 2)} / ${part(firstRow, (x) => x.seconds, 2)} | |`);
  const s = oursPolite[0]?.storage;
  if (s) {
    lines.push(`| storage per playlist by service: queue / table / blob (polite crawl phase) | ${part(oursPolite, (x) => x.storage.byService.queue, 2)} / ${part(oursPolite, (x) => x.storage.byService.table, 2)} / ${part(oursPolite, (x) => x.storage.byService.blob, 2)} | |`);
    lines.push(`| … by owner: app / Durable task hub / WebJobs host | ${part(oursPolite, (x) => x.storage.byOwner.app, 2)} / ${part(oursPolite, (x) => x.storage.byOwner.durable, 2)} / ${part(oursPolite, (x) => x.storage.byOwner.webjobs, 3)} | |`);
    lines.push(`| storage cost per 1,000 playlists (list prices, lib/prices.mjs) | $${f(spread(oursPolite, (x) => x.storage.costPerThousandPlaylists)?.median, 4)} | |`);
    lines.push(`| Functions Flex per 1,000 playlists at ${lim} req/s (GB-s, executions) | $${f(spread(oursPolite, (x) => x.storage.functionsCostPerThousand)?.median, 4)} (${f(spread(oursPolite, (x) => x.storage.gbSecondsPerThousand)?.median, 0)} GB-s, ${f(spread(oursPolite, (x) => x.storage.executionsPerThousand)?.median, 0)} executions) | |`);
    if (s.idlePerSecond != null) lines.push(`| idle storage traffic after the first polite crawl | ${f(s.idlePerSecond, 1)} transactions/s | |`);
  }
  if (r.sameOutput) {
    const o = r.sameOutput;
    lines.push(`| same dataset (first unthrottled CSVs, ${o.rowsA} vs ${o.rowsB} rows) | ${o.onlyA + o.onlyB + o.differing === 0 ? 'identical on every compared column' : `${o.onlyA} only ours, ${o.onlyB} only Crawlee's, ${o.differing} differ`} | |`);
  }
  lines.push('');
  const loads = [...firstRow.map((x, i) => ({ label: `first-row-${i + 1}`, load1: x.load1 })), ...oursFast, ...crawleeFast, ...oursPolite, ...crawleePolite];
  lines.push(`Loads (1-min average at each run's start): ${loads.map((x) => `${x.label} ${f(x.load1, 2)}${x.machineBusy != null ? ` (machine busy ${f(x.machineBusy * 100, 0)} %)` : ''}`).join(', ')}.`);
  const failed = firstRow.filter((x) => x.error);
  if (failed.length) lines.push('', `First-row measurements not taken: ${failed.map((x) => x.error).join('; ')}.`);
  if (s) {
    lines.push('');
    lines.push(`Storage transactions of the first polite crawl (${oursPolite[0].rows} rows), per 1,000 playlists (crawl only; start-up, export and idle apart):`);
    lines.push('');
    lines.push('| owner | service | resource | operation | per 1,000 playlists |');
    lines.push('|---|---|---|---|---|');
    for (const d of s.detail.filter((x) => x.perPlaylist * 1000 >= 1)) lines.push(`| ${d.owner} | ${d.service} | ${d.resource} | ${d.op} | ${Math.round(d.perPlaylist * 1000)} |`);
    lines.push('');
    if (s.connectionsOpened) lines.push(`TCP connections the host opened to storage over the whole run: blob ${s.connectionsOpened.blob}, queue ${s.connectionsOpened.queue}, table ${s.connectionsOpened.table}.`, '');
    lines.push(`Start-up: ${s.startupTransactions} transactions. Export: ${f(s.exportTransactionsPerRow, 2)} per row.`
      + (s.idlePerSecond != null ? ` Idle: ${f(s.idlePerSecond, 1)}/s — ${s.idleDetail.slice(0, 6).map((x) => `${x.resource} ${x.op} ${x.perSecond}/s`).join(', ')}.` : ''));
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
    const flag = ['soak', 'keep', 'count-fast', 'help', 'no-warm', 'no-first-row', 'whole-site', 'plain-azurite', 'daily', 'no-polite'].includes(key);
    const value = flag ? true : inline ?? argv[++i];
    result[key] = key === 'host-env' ? [...(result[key] ?? []), value] : value;
  }
  return result;
}
