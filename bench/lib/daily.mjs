// The daily refresh (issue 18), `bench/run.sh --daily`: the whole-site Sandbox crawled as "all" three times —
// day 0 through the JSON list answers (fresh storage), day 1 through them again on the same storage (the Sandbox
// restarted on the same port one day on), and day 0 through the HTML list pages (fresh storage) — with the site's
// requests by kind, storage transactions, the status figures, and every export checked against the Sandbox's truth
// for its day. A short refresh at the site's default 2 req/s measures the politeness efficiency the time figures use.
import os from 'node:os';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readCsv } from './csv.mjs';
import { freePort, machineCpu, now, sleep, start, stop, tail } from './proc.mjs';
import { prices, priceCategory } from './prices.mjs';

/** The politeness efficiency docs/performance.md quotes (20 req/s, arrivals), used when no polite run measured one. */
const documentedEfficiency = { value: 0.961, source: 'docs/performance.md: 0.961 at 20 req/s (arrivals, e6aee71), not measured at 2 req/s' };

/** The site's default pace, which the time and Functions figures assume. */
const siteRate = 2;

/** Pages of a real category (about 38 of 35 playlists): a run on fewer is projected to this size. */
const realPages = 38;

/** The counts the export must carry on each day (`/_sandbox/expected?counts=true`), by CSV column. */
const countColumns = { track_count: 'trackCount', play_count: 'playCount', subscribed_count: 'subscribedCount', share_count: 'shareCount', comment_count: 'commentCount' };

/**
 * Runs the daily bench. `b` is what lib/bench.mjs lends (processes, storage, figures, checks); `o` the settings
 * (pages, politePages, politeRate, polite, capMs, plainAzurite, machine, label). Returns the results to save.
 */
export async function runDaily(b, o) {
  const results = {
    date: new Date().toISOString(), machine: o.machine,
    settings: { mode: 'daily', pages: o.pages, politePages: o.politePages, politeRate: o.politeRate, fastRate: b.fastRate, capMinutes: o.capMs / 60_000,
      queuePatch: !o.plainAzurite, hostRoot: b.hostRoot, hostEnv: b.hostEnv, label: o.label },
    runs: {}, loads: [],
  };
  const loadTimer = setInterval(() => results.loads.push({ t: new Date().toISOString(), load1: +os.loadavg()[0].toFixed(2) }), 30_000);
  try {
    if (o.polite) results.polite = await politeRefresh(b, o);

    // Day 0 then day 1 through the JSON lists, on one storage account and one host (a deployed app's), the Sandbox
    // restarted on its port with the next day: the dataset belongs to the site's base URL, port included.
    const sandboxArgs = (day) => ['--Sandbox:AllPagesFull=true', `--Sandbox:Day=${day}`];
    let site = await b.startSandbox(o.pages, sandboxArgs(0), { name: 'sandbox-day0' });
    const port = site.port;
    const storage = await b.startStorage('daily-api', true, { patchQueue: !o.plainAzurite });
    const host = await startHost(b, 'daily-api', { site, storage, lists: 'api', rps: b.fastRate });
    results.runs.api0 = await crawlAll(b, 'day0-api', { site, storage, host, capMs: o.capMs });
    const truth0 = await readTruth(b, site, 0);
    results.runs.api0.exact = checkRun(b, results.runs.api0, truth0, { apiLists: true });
    results.runs.api0.trackFigures = trackFigures(results.runs.api0, truth0.expected.songs);
    await stop(site.process);

    site = await b.startSandbox(o.pages, sandboxArgs(1), { name: 'sandbox-day1', port });
    results.runs.api1 = await crawlAll(b, 'day1-api', { site, storage, host, capMs: o.capMs });
    const truth1 = await readTruth(b, site, 1);
    results.runs.api1.exact = checkRun(b, results.runs.api1, truth1, { apiLists: true });
    results.runs.api1.change = dayChange(truth0, truth1, site.baseUrl);
    results.runs.api1.trackFigures = trackFigures(results.runs.api1, null);
    results.runs.api1.figuresCheck = checkRefreshFigures(results.runs.api1);
    results.runs.api1.hostLog = host.logged.summary();
    await stop(host);
    await stop(storage.proxy);
    await stop(storage.azurite);
    await stop(site.process);

    // Day 0 through the HTML list pages and a detail request per playlist, on fresh storage.
    site = await b.startSandbox(o.pages, sandboxArgs(0), { name: 'sandbox-day0-page', port });
    const pageStorage = await b.startStorage('daily-page', true, { patchQueue: !o.plainAzurite });
    const pageHost = await startHost(b, 'daily-page', { site, storage: pageStorage, lists: 'page', rps: b.fastRate });
    results.runs.page0 = await crawlAll(b, 'day0-page', { site, storage: pageStorage, host: pageHost, capMs: o.capMs });
    results.runs.page0.exact = checkRun(b, results.runs.page0, truth0, { apiLists: false });
    results.runs.page0.hostLog = pageHost.logged.summary();
    await stop(pageHost);
    await stop(pageStorage.proxy);
    await stop(pageStorage.azurite);
    await stop(site.process);

    results.sameDataset = compareExports(results.runs.api0.csv, results.runs.page0.csv);
    b.log(`day-0 exports, JSON lists vs HTML pages: ${results.sameDataset.identical ? 'identical' : 'NOT identical'} (${results.sameDataset.rowsA} vs ${results.sameDataset.rowsB} rows)`);
    if (o.pages !== realPages) {
      try { results.projection = await realSiteTruth(b); } catch (e) { b.log(`projection to ${realPages} pages not made: ${e.message}`); results.projectionError = String(e.message); }
    }
  } finally {
    clearInterval(loadTimer);
  }
  results.machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  results.figures = figures(results);
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// The short polite refresh: day 0 of a small whole-site Sandbox unthrottled, then day 1 at the site's pace, the
// Sandbox's arrival times read from /_sandbox/arrivals: the efficiency of a refresh-shaped crawl at 2 req/s. The
// Sandbox serves its covers from a host of their own (CoverPort), as the real site's come from its image CDN, so the
// client paces them apart from the lists: the efficiency is the lists' (the site's pace), and the crawl's wall time
// shows the two paces overlapping.

async function politeRefresh(b, o) {
  const label = 'polite';
  const coverPort = await freePort();
  const args = (day) => ['--Sandbox:AllPagesFull=true', `--Sandbox:Day=${day}`, `--Sandbox:CoverPort=${coverPort}`];
  const imageHosts = `127.0.0.1:${coverPort}`;
  let site = await b.startSandbox(o.politePages, args(0), { name: 'sandbox-polite-day0' });
  const port = site.port;
  const storage = await b.startStorage('polite', true, { patchQueue: !o.plainAzurite });
  let host = await startHost(b, 'polite-day0', { site, storage, lists: 'api', rps: b.fastRate, imageHosts });
  const day0 = await crawlAll(b, `${label}-day0`, { site, storage, host, capMs: o.capMs, exportCsv: false });
  await stop(host);
  await stop(site.process);
  site = await b.startSandbox(o.politePages, args(1), { name: 'sandbox-polite-day1', port });
  host = await startHost(b, 'polite-day1', { site, storage, lists: 'api', rps: o.politeRate, imageHosts });
  const day1 = await crawlAll(b, `${label}-day1`, { site, storage, host, capMs: o.capMs, exportCsv: false, idleSeconds: 20, arrivals: true, rps: o.politeRate });
  const hostLog = host.logged.summary();
  await stop(host);
  await stop(storage.proxy);
  await stop(storage.azurite);
  await stop(site.process);
  const a = day1.arrivals;
  const c = day1.coverArrivals;
  b.log(`${label}: ${a.requests} requests to the site at ${o.politeRate} req/s, efficiency ${a.efficiency?.toFixed(3)} (first to last arrival), busiest sliding second ${a.busiestWindow}; `
    + `${c?.requests} covers on their own pace, efficiency ${c?.efficiency?.toFixed(3)}, busiest sliding second ${c?.busiestWindow}; POST → completed ${day1.crawlSeconds.toFixed(0)} s`);
  return { pages: o.politePages, rate: o.politeRate, day0: summary(day0), day1: { ...day1, hostLog } };
}

/** The figures of a run without its long arrays (the polite day 0 is only the set-up of day 1). */
function summary(run) {
  const { samples, site, ...rest } = run;
  return { ...rest, site: { requests: site.requests, byKind: site.byKind } };
}

// ---------------------------------------------------------------------------------------------------------
// One host, one crawl of "all"

async function startHost(b, label, { site, storage, lists, rps, imageHosts = '' }) {
  const port = await freePort();
  const host = b.track(start('host', 'dotnet', [b.hostDll, '--settings-dir', b.hostRoot, `--AzureWebJobsStorage=${storage.connectionString}`,
    `--NetEase:BaseUrl=${site.baseUrl}`, `--NetEase:RequestsPerSecond=${rps}`, `--NetEase:ListSource=${lists}`, `--NetEase:ImageHosts=${imageHosts}`,
    '--Urls', `http://127.0.0.1:${port}`],
  { cwd: b.hostRoot, env: b.hostEnv, logPath: join(b.work, `${label}-host.log`) }));
  host.logged = b.watchHostLog(host);
  host.api = `http://127.0.0.1:${port}/api/`;
  host.lists = lists;
  host.rps = rps;
  // Ready when the API answers (404: no crawl yet).
  for (let i = 0; i < 240 && !host.done; i++) {
    try { const r = await fetch(`${host.api}status`, { signal: AbortSignal.timeout(5_000) }); await r.arrayBuffer(); break; } catch { await sleep(500); }
  }
  if (host.done) throw new Error(`${label}: the host exited at start\n${tail(host)}`);
  b.log(`${label}: host up (NetEase:ListSource=${lists}, ${rps} req/s)`);
  return host;
}

/**
 * POST /api/crawls {"categories":["all"],"maxPages":0}, GET /api/crawls/{id} every 2 s until it is no longer running,
 * storage counted from just before the POST (the proxy's snapshots: start, completed, exported), the site's requests
 * from /_sandbox/stats before and after, then the export through GET /api/playlists.csv?crawlId=… and the final status.
 */
async function crawlAll(b, label, { site, storage, host, capMs, exportCsv = true, idleSeconds = 0, arrivals = false, rps = host.rps, pollMs = 2000 }) {
  const counts = {};
  const snap = async (name) => { counts[name] = await storage.proxy.counts(); };
  const load1AtStart = os.loadavg()[0];
  const statsBefore = await site.stats();
  const cpuBefore = machineCpu();
  const others = b.otherCpu([host, site.process, storage.azurite, storage.proxy]);
  await snap('start');
  const postedAt = Date.now(); // the catalogue is read while the POST is answered
  let crawlId = null, begun = null;
  for (let i = 0; i < 120 && !crawlId && !host.done; i++) {
    try {
      const response = await fetch(`${host.api}crawls`, { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ categories: ['all'], maxPages: 0 }), signal: AbortSignal.timeout(30_000) });
      if (response.status === 202) { begun = now(); crawlId = (await response.json()).crawlId; } else { b.log(`${label}: POST /api/crawls answered ${response.status}: ${(await response.text()).slice(0, 200)}`); await sleep(1000); }
    } catch { await sleep(500); }
  }
  if (!crawlId) throw new Error(`${label}: POST /api/crawls did not succeed\n${tail(host)}`);
  b.log(`${label}: crawl ${crawlId} started (${host.lists} lists, ${rps} req/s)`);
  let state = 'running', status = null, readErrors = 0, nextLog = now() + 60_000;
  const loads = [];
  while (now() - begun < capMs && !host.done) {
    await sleep(pollMs);
    try {
      const r = await fetch(`${host.api}crawls/${crawlId}`, { signal: AbortSignal.timeout(30_000) });
      if (r.ok) { status = await r.json(); state = status.state; } else { readErrors++; await r.arrayBuffer(); }
    } catch { readErrors++; }
    if (now() >= nextLog) {
      const p = status?.playlists;
      loads.push(os.loadavg()[0]);
      b.log(`${label}: ${p ? `${p.done} done of ${p.discovered} discovered, pages ${status.pages.done}/${status.pages.total}` : 'no status yet'}, load ${os.loadavg()[0].toFixed(2)}`);
      nextLog = now() + 60_000;
    }
    if (state !== 'running' && state !== 'paused') break;
  }
  if (host.done) throw new Error(`${label}: the host exited during the crawl\n${tail(host)}`);
  const completedAt = now();
  await snap('completed');
  const statsAfter = await site.stats();
  const machineBusy = b.busyShare(cpuBefore, machineCpu());
  const cpu = others();
  const load1AtEnd = os.loadavg()[0];
  const crawlSeconds = (completedAt - begun) / 1000;
  if (state !== 'completed') throw new Error(`${label}: the crawl is ${state} after ${crawlSeconds.toFixed(0)} s (cap ${capMs / 60_000} min)\n${JSON.stringify(status?.playlists)}\n${tail(host)}`);
  b.log(`${label}: completed in ${crawlSeconds.toFixed(0)} s`);

  let csv = null, exportSeconds = null;
  if (exportCsv) {
    csv = join(b.work, `${label}-playlists.csv`);
    const t0 = now();
    const response = await fetch(`${host.api}playlists.csv?crawlId=${encodeURIComponent(crawlId)}`, { signal: AbortSignal.timeout(30 * 60_000) });
    if (!response.ok) throw new Error(`${label}: GET /api/playlists.csv?crawlId=${crawlId} answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body), createWriteStream(csv));
    exportSeconds = (now() - t0) / 1000;
  }
  await snap('exported');
  if (idleSeconds) { await sleep(idleSeconds * 1000); await snap('idle'); }
  // The final status once more: "gone" is known once the crawl ended.
  const final = await (await fetch(`${host.api}crawls/${crawlId}`, { signal: AbortSignal.timeout(30_000) })).json();
  // The site's pace and the covers' apart: each is its own politeness group (the covers come from a host of their own).
  const imageKinds = 'cover,thumbnail';
  const siteArrivals = arrivals ? (await (await fetch(`${site.baseUrl}_sandbox/arrivals?sinceMs=${postedAt}&exceptKinds=${imageKinds}`)).json()).arrivalsMs : null;
  const coverArrivals = arrivals ? (await (await fetch(`${site.baseUrl}_sandbox/arrivals?sinceMs=${postedAt}&kinds=${imageKinds}`)).json()).arrivalsMs : null;
  const rows = final.playlists.done;
  const result = {
    label, crawlId, lists: host.lists, rps, state: final.state, rows, crawlSeconds, exportSeconds, csv,
    status: { playlists: final.playlists, pages: final.pages, covers: final.covers, categories: final.categories?.length, recentErrors: final.recentErrors?.slice(0, 5), lastError: final.lastError },
    finalStatus: final,
    site: b.siteWindow(statsBefore, statsAfter, rps),
    storage: b.storageFigures(counts, Math.max(1, rows), idleSeconds, crawlSeconds),
    arrivals: siteArrivals ? b.arrivalFigures(siteArrivals, rps) : null,
    coverArrivals: coverArrivals?.length > 1 ? b.arrivalFigures(coverArrivals, rps) : null,
    load: { atStart: load1AtStart, atEnd: load1AtEnd, duringMax: Math.max(load1AtStart, load1AtEnd, ...loads), machineBusy },
    cpuSeconds: { host: cpu[0], sandbox: cpu[1], azurite: cpu[2], proxy: cpu[3] },
    statusReadErrors: readErrors,
  };
  b.log(`${label}: ${rows} rows, ${result.site.requests} site requests (${Object.entries(result.site.byKind).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ')}), `
    + `${result.storage.perPlaylist.toFixed(2)} storage transactions per playlist; playlists ${JSON.stringify(final.playlists)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// The Sandbox's truth for a day, and what changed from day 0 to day 1

/**
 * /_sandbox/expected?day=D&counts=true (ids, counts, covers stored), and each listed playlist's cover URL per category
 * from the site's own list answers (the expected answer has no cover URLs), 100 at a time. Read after the crawl's
 * figures were taken, so the site's counts do not include them.
 */
async function readTruth(b, site, day) {
  const expected = await (await fetch(`${site.baseUrl}_sandbox/expected?day=${day}&counts=true&tracks=true`)).json();
  if (expected.day !== day) throw new Error(`the Sandbox answered day ${expected.day} for ?day=${day}`);
  const covers = new Map(), tracksAt = new Map();
  let requests = 0;
  const queue = [...expected.categories];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const byId = new Map(), tracksById = new Map();
      for (let offset = 0; ; offset += 100) {
        const answer = await (await fetch(`${site.baseUrl}api/playlist/list?cat=${encodeURIComponent(c.category)}&order=hot&limit=100&offset=${offset}&total=true`)).json();
        requests++;
        for (const p of answer.playlists) {
          if (!byId.has(String(p.id))) byId.set(String(p.id), p.coverImgUrl ?? '');
          if (!tracksById.has(String(p.id))) tracksById.set(String(p.id), p.trackUpdateTime ?? null);
        }
        if (!answer.more) break;
      }
      covers.set(c.category, byId);
      tracksAt.set(c.category, tracksById);
    }
  }));
  // The list answers and the expected ids must agree, or the cover figures below are not the truth.
  let disagree = 0;
  for (const c of expected.categories) {
    const byId = covers.get(c.category);
    if (byId.size !== c.ids.length || c.ids.some((id) => !byId.has(String(id)))) disagree++;
  }
  b.log(`truth of day ${day}: ${expected.rows} rows in ${expected.categories.length} categories, ${expected.coversStored} covers stored; cover URLs from ${requests} list answers`
    + (disagree ? `; ${disagree} categories where the list answers and /_sandbox/expected disagree` : ''));
  return { day, expected, covers, tracksAt, listAnswersRead: requests, categoriesDisagreeing: disagree };
}

/**
 * A run's track figures (tracks are on by default: Crawler__Tracks): JSON detail requests (one answer gives the row and
 * the track list), song requests, the PlaylistTracks writes (one a list) and the Tracks transactions, from the storage
 * proxy's counts; `newSongs` (fresh storage: every distinct song of the day's rows) when known.
 */
function trackFigures(run, newSongs) {
  const k = run.site.byKind, rows = run.storage.detail ?? [];
  const ops = (resource, op) => rows.filter((r) => r.resource === resource && (!op || r.op === op)).reduce((sum, r) => sum + r.n, 0);
  const listsStored = ops('PlaylistTracks', 'UpsertEntity(replace)');
  const membershipTransactions = ops('PlaylistTracks'), songTransactions = ops('Tracks');
  const detailRequests = k.api ?? 0, songRequests = k.songApi ?? 0;
  // Tracks were on when the crawl stored track lists (Crawler__Tracks=false, through --host-env, stores none).
  run.tracks = listsStored > 0;
  return { batchSize: 200, detailRequests, songRequests, listsStored, membershipTransactions, songTransactions, newSongs: newSongs ?? 0,
    detailPerList: detailRequests / Math.max(1, listsStored), membershipPerList: membershipTransactions / Math.max(1, listsStored),
    songRequestsPerNewSong: newSongs ? songRequests / newSongs : null, songTransactionsPerNewSong: newSongs ? songTransactions / newSongs : 0 };
}

/**
 * From day 0 to day 1, per (category, playlist) as the lists show them: new pairs, gone pairs, moved covers, and the
 * covers a refresh must fetch — each id once, for a pair new to its category or whose cover URL changed, unless the
 * cover is on a foreign host (never fetched): the formula of tests/Integration.Tests/DailyRefreshTests.cs.
 */
function dayChange(truth0, truth1, baseUrl) {
  const siteHost = new URL(baseUrl).host;
  const toFetch = new Set(), newIds = new Set();
  let newPairs = 0, gonePairs = 0, movedPairs = 0, keptPairs = 0;
  for (const [category, after] of truth1.covers) {
    const before = truth0.covers.get(category) ?? new Map();
    for (const [id, url] of after) {
      const old = before.get(id);
      if (old === undefined) { newPairs++; newIds.add(id); } else if (old !== url) movedPairs++; else keptPairs++;
      let onSite = false;
      try { onSite = new URL(url, baseUrl).host === siteHost; } catch { /* no URL: nothing to fetch */ }
      if (onSite && old !== url) toFetch.add(id);
    }
    for (const id of before.keys()) if (!after.has(id)) gonePairs++;
  }
  const movedIds = new Set();
  for (const [category, after] of truth1.covers) {
    const before = truth0.covers.get(category) ?? new Map();
    for (const [id, url] of after) if (before.has(id) && before.get(id) !== url) movedIds.add(id);
  }
  // Track lists a refresh must ask for (with tracks on): a pair new to its category or whose trackUpdateTime moved; each id once.
  let trackPairs = 0;
  const trackIds = new Set();
  for (const [category, after] of truth1.tracksAt ?? new Map()) {
    const before = truth0.tracksAt?.get(category) ?? new Map();
    for (const [id, at] of after) if (!before.has(id) || before.get(id) !== at) { trackPairs++; trackIds.add(id); }
  }
  return { pairsDay0: truth0.expected.rows, pairsDay1: truth1.expected.rows, newPairs, gonePairs, movedPairs, keptPairs,
    newIds: newIds.size, movedIds: movedIds.size, coversToFetch: toFetch.size, trackPairs, trackListsToFetch: trackIds.size };
}

/**
 * The Sandbox's truth at a real category's size (38 pages), day 0 and day 1, without crawling it: rows, list pages and
 * the covers a refresh must fetch, to project a run on fewer pages. Two Sandbox starts and ~2,000 list answers (100 each).
 */
async function realSiteTruth(b) {
  let site = await b.startSandbox(realPages, ['--Sandbox:AllPagesFull=true', '--Sandbox:Day=0'], { name: 'sandbox-real-day0' });
  const truth0 = await readTruth(b, site, 0);
  await stop(site.process);
  site = await b.startSandbox(realPages, ['--Sandbox:AllPagesFull=true', '--Sandbox:Day=1'], { name: 'sandbox-real-day1', port: site.port });
  const truth1 = await readTruth(b, site, 1);
  await stop(site.process);
  const change = dayChange(truth0, truth1, site.baseUrl);
  return { pages: realPages, day0: { rows: truth0.expected.rows, listPages: truth0.expected.pages, deletedPairs: truth0.expected.deletedPairs, coversStored: truth0.expected.coversStored },
    day1: { rows: truth1.expected.rows, listPages: truth1.expected.pages, coversStored: truth1.expected.coversStored }, change };
}

// ---------------------------------------------------------------------------------------------------------
// Checks

/** The export against the day's truth: ids (bench.mjs checkExport), the counts columns, the cover URLs; the final status. */
function checkRun(b, run, truth, { apiLists }) {
  const ids = b.checkExport(run.csv, truth.expected);
  const rows = readCsv(run.csv);
  const want = new Map();
  for (const c of truth.expected.categories) for (const x of c.counts ?? []) want.set(`${c.category}|${x.id}`, x);
  const countsWrong = Object.fromEntries(Object.keys(countColumns).map((col) => [col, 0]));
  let countRowsWrong = 0, coverUrlsWrong = 0;
  const examples = [];
  for (const r of rows) {
    const key = `${r.category}|${r.playlist_id}`;
    const x = want.get(key);
    if (!x) continue; // an extra row: checkExport counts it
    let wrong = false;
    for (const [col, field] of Object.entries(countColumns)) {
      if (String(x[field]) !== r[col]) { countsWrong[col]++; wrong = true; if (examples.length < 5) examples.push({ key, col, got: r[col], want: x[field] }); }
    }
    if (wrong) countRowsWrong++;
    const url = truth.covers.get(r.category)?.get(r.playlist_id);
    if (url !== undefined && url !== r.cover_url) { coverUrlsWrong++; if (examples.length < 8) examples.push({ key, col: 'cover_url', got: r.cover_url, want: url }); }
  }
  const status = b.checkFinalStatus(run.finalStatus, truth.expected, { apiLists });
  if (truth.day > 0) {
    // On a refresh covers.stored is the covers this crawl stored (the item table's tally), not those its rows hold: said apart.
    status.coversStored = status.wrong.find((w) => w.what === 'covers.stored') ?? { what: 'covers.stored', got: run.status.covers.stored, want: truth.expected.coversStored };
    status.wrong = status.wrong.filter((w) => w.what !== 'covers.stored');
    status.checked -= 1;
    status.exact = status.wrong.length === 0;
  }
  const exact = ids.exact && countRowsWrong === 0 && coverUrlsWrong === 0 && status.exact;
  b.log(`${run.label}: export ${ids.exact ? 'exact ids' : 'NOT exact ids'}, ${countRowsWrong} rows with wrong counts, ${coverUrlsWrong} wrong cover URLs; status ${status.exact ? 'exact' : `NOT exact (${status.wrong.slice(0, 4).map((w) => `${w.what} ${w.got} ≠ ${w.want}`).join('; ')})`}`);
  return { exact, ids, countRowsWrong, countsWrong, coverUrlsWrong, examples, status };
}

/**
 * The refresh's status figures against the Sandbox's change from day 0 to day 1 (DailyRefreshTests' assertions): new =
 * pairs new to their category, gone = pairs in day 0's lists and in none of day 1's, detailed = 0, refreshed = every row.
 */
function checkRefreshFigures(run) {
  const p = run.status.playlists, c = run.change;
  // With tracks on, a pair whose track list is new or changed is asked for in detail (its JSON detail), the rest refreshed.
  const tracks = run.tracks ? c.trackPairs : 0;
  const checks = [['new', p.new, c.newPairs], ['gone', p.gone, c.gonePairs], ['detailed', p.detailed, tracks], ['refreshed', p.refreshed, run.rows - tracks]];
  const wrong = checks.filter(([, got, want]) => got !== want).map(([what, got, want]) => ({ what, got, want }));
  return { exact: wrong.length === 0, wrong, checks: checks.map(([what, got, want]) => ({ what, got, want })) };
}

/** The two day-0 exports, row by row keyed (category, playlist_id), on every column but crawled_at; and their order. */
function compareExports(aPath, bPath) {
  const a = readCsv(aPath), b = readCsv(bPath);
  const columns = Object.keys(a[0] ?? {});
  const excluded = ['crawled_at'];
  const compared = columns.filter((c) => !excluded.includes(c));
  const index = (rows) => new Map(rows.map((r) => [`${r.category}|${r.playlist_id}`, r]));
  const ia = index(a), ib = index(b);
  let onlyA = 0, onlyB = 0, differing = 0;
  const byColumn = {};
  const examples = [];
  for (const [key, row] of ia) {
    const other = ib.get(key);
    if (!other) { onlyA++; continue; }
    const diff = compared.filter((c) => row[c] !== other[c]);
    if (diff.length) {
      differing++;
      for (const c of diff) byColumn[c] = (byColumn[c] ?? 0) + 1;
      if (examples.length < 5) examples.push({ key, columns: diff, a: diff.map((c) => String(row[c]).slice(0, 120)), b: diff.map((c) => String(other[c]).slice(0, 120)) });
    }
  }
  for (const key of ib.keys()) if (!ia.has(key)) onlyB++;
  const sameOrder = a.length === b.length && a.every((r, i) => r.category === b[i].category && r.playlist_id === b[i].playlist_id);
  return { identical: onlyA + onlyB + differing === 0 && a.length === ia.size && b.length === ib.size, rowsA: a.length, rowsB: b.length,
    onlyA, onlyB, differing, byColumn, examples, comparedColumns: compared, excludedColumns: excluded, sameOrder };
}

// ---------------------------------------------------------------------------------------------------------
// Figures, goals and cost

const detailKinds = ['playlist', 'api'];
const coverKinds = ['cover', 'thumbnail'];

/** A run's requests by what they asked for; `pages` is how many list pages its plan read. */
function requestFigures(run, pages) {
  const k = run.site.byKind;
  const n = (names) => names.reduce((sum, name) => sum + (k[name] ?? 0), 0);
  // "all" comes from the catalogue with JSON lists, else from the menu page: an HTML list page beyond the plan's.
  const menu = run.lists === 'page' ? Math.max(0, n(['list']) - pages) : 0;
  const list = n(['listApi', 'list']) - menu, catalogue = n(['catalogue']) + menu;
  const detail = n(detailKinds), cover = n(coverKinds), songs = n(['songApi']), other = n(['other']);
  const total = run.site.requests;
  // The track requests (each list's JSON detail, kind api, and the song batches) are the same in both list modes.
  const tracks = n(['api']) + songs;
  return { total, list, jsonLists: n(['listApi']), htmlLists: n(['list']) - menu, catalogue, detail, cover, songs, tracks, other, nonCover: total - cover,
    nonCoverNonTrackPerPlaylist: (total - cover - tracks) / run.rows,
    perPlaylist: total / run.rows, nonCoverPerPlaylist: (total - cover) / run.rows };
}

/** Seconds the same requests take at `rate` with this efficiency: all on one politeness group, and with covers apart (the image CDN). */
function siteTime(r, efficiency, rate = siteRate) {
  return { oneGroup: r.total / (rate * efficiency), coversApart: Math.max(r.total - r.cover, r.cover) / (rate * efficiency) };
}

/** Storage transactions priced by category (lib/prices.mjs). */
function priceRows(rows) {
  const byCategory = {};
  for (const r of rows) byCategory[priceCategory(r.service, r.op)] = (byCategory[priceCategory(r.service, r.op)] ?? 0) + r.n;
  const usd = Object.entries(byCategory).reduce((sum, [cat, n]) => sum + (n * prices.storage[cat]) / 10_000, 0);
  return { byCategory, usd };
}

export function figures(results) {
  const { api0, api1, page0 } = results.runs;
  const polite = results.polite?.day1;
  const efficiency = polite?.arrivals?.efficiency
    ? { value: polite.arrivals.efficiency, source: `measured: the polite refresh at ${results.polite.rate} req/s (${polite.arrivals.requests} arrivals, first to last)` }
    : documentedEfficiency;
  const out = { efficiency, runs: {} };
  for (const [name, run] of Object.entries({ api0, api1, page0 })) {
    if (!run) continue;
    const r = requestFigures(run, run.status.pages.total);
    out.runs[name] = { requests: r, timeAt2: siteTime(r, efficiency.value), storagePerPlaylist: run.storage.perPlaylist };
  }
  const r0 = out.runs.api0?.requests, r1 = out.runs.api1?.requests, rp = out.runs.page0?.requests;
  const change = api1?.change;
  if (results.projection) out.projection = project(results, out, efficiency);
  const goals = [];
  if (r1 && change) {
    // With tracks on, the track lists new or changed and their new songs' batches are part of what changed.
    const tracks = api1.tracks ? change.trackListsToFetch + r1.songs : 0;
    const bound = 1.1 * (r1.list + r1.catalogue + change.coversToFetch + tracks);
    goals.push({ what: 'day-1 refresh site requests ≤ 1.1 × (list requests + changed covers + changed track lists and their song batches)', value: r1.total, bound,
      detail: `${r1.total} ≤ 1.1 × (${r1.list} list + ${r1.catalogue} catalogue + ${change.coversToFetch} covers new or moved`
        + (api1.tracks ? ` + ${change.trackListsToFetch} track lists new or changed + ${r1.songs} song batches` : '') + `) = ${bound.toFixed(0)}`, met: r1.total <= bound });
    // The goal is about the whole site: a run on fewer pages is judged on its projection to 38 pages.
    const p1 = out.projection?.runs.api1;
    const basis = p1 ?? out.runs.api1;
    // The issue's goal is with tracks off (the tracks issue measures its own share), and the client paces the image CDN
    // apart from the site (HostRateLimiter.GroupOf; the Sandbox's covers come from a host of their own, CoverPort, as the
    // real site's do): the lists and the covers each take their own pace, so the refresh takes the longer of the two.
    const apart = Math.max(basis.requests.total - basis.requests.cover - basis.requests.tracks, basis.requests.cover);
    const minutes = apart / (2 * efficiency.value) / 60;
    const total = p1 ? p1.requests.total : r1.total;
    goals.push({ what: `day-1 refresh ≤ 30 minutes at 2 req/s, tracks off, covers paced apart${p1 ? ` (projected to ${realPages} pages)` : ''}`, value: minutes, bound: 30,
      detail: `${minutes.toFixed(1)} min (${Math.round(apart).toLocaleString('en-US')} requests on the longer pace${p1 ? ', projected' : ''}: `
        + `${Math.round(basis.requests.total - basis.requests.cover - basis.requests.tracks).toLocaleString('en-US')} to the site, ${Math.round(basis.requests.cover).toLocaleString('en-US')} covers; ÷ (2 × ${efficiency.value.toFixed(3)})); `
        + `on one pace: ${((basis.requests.total - basis.requests.tracks) / (2 * efficiency.value) / 60).toFixed(1)} min`
        + (r1.tracks ? `; with the track requests (${Math.round(basis.requests.tracks).toLocaleString('en-US')}${p1 ? ' projected' : ''}): ${(basis.timeAt2.coversApart / 60).toFixed(1)} min covers apart, ${(basis.timeAt2.oneGroup / 60).toFixed(1)} on one pace (${Math.round(total).toLocaleString('en-US')} requests)` : '')
        + (p1 ? `; as measured on ${results.settings.pages} pages: ${(out.runs.api1.timeAt2.oneGroup / 60).toFixed(1)} min on one pace` : ''), met: minutes <= 30 });
    goals.push({ what: 'storage transactions per playlist in the refresh ≤ 1.5', value: api1.storage.perPlaylist, bound: 1.5,
      detail: `${api1.storage.perPlaylist.toFixed(3)} (crawl phase, POST → completed)`, met: api1.storage.perPlaylist <= 1.5 });
  }
  if (r0 && rp) {
    // Track lists and songs cost the same in both modes (each list's JSON detail): compared apart from them.
    const ratio = rp.nonCoverNonTrackPerPlaylist / r0.nonCoverNonTrackPerPlaylist;
    goals.push({ what: 'day-0: JSON lists send ≥ 20 × fewer non-cover requests per playlist than HTML pages (track requests aside)', value: ratio, bound: 20,
      detail: `${rp.nonCoverNonTrackPerPlaylist.toFixed(3)} ÷ ${r0.nonCoverNonTrackPerPlaylist.toFixed(4)} = ${ratio.toFixed(1)} ×; with them: ${rp.nonCoverPerPlaylist.toFixed(3)} ÷ ${r0.nonCoverPerPlaylist.toFixed(4)}`, met: ratio >= 20 });
  }
  // Tracks (issue 19): requests per track list fetched, song requests per new song, membership storage per list.
  for (const [name, run] of Object.entries({ api0, api1 })) {
    const t = run?.trackFigures;
    if (!t || !run.tracks) continue; // tracks off (--host-env Crawler__Tracks=false): nothing to judge
    goals.push({ what: `${runNames[name]}: JSON detail requests per track list stored ≤ 1`, value: t.detailPerList, bound: 1,
      detail: `${t.detailRequests} detail requests ÷ ${t.listsStored} lists stored = ${t.detailPerList.toFixed(3)}`, met: t.detailPerList <= 1 });
    if (t.newSongs > 0) goals.push({ what: `${runNames[name]}: song requests per new song ≤ 1 / batch size (${t.batchSize})`, value: t.songRequestsPerNewSong, bound: 1 / t.batchSize,
      detail: `${t.songRequests} song requests ÷ ${t.newSongs} new songs = ${t.songRequestsPerNewSong.toFixed(4)} (${(t.songRequestsPerNewSong * t.batchSize).toFixed(3)} × the bound; `
        + `every batch full would be ${Math.ceil(t.newSongs / t.batchSize)} requests: a batch that waited its time leaves part-filled)`,
      met: t.songRequestsPerNewSong <= 1 / t.batchSize });
    goals.push({ what: `${runNames[name]}: storage transactions per track list stored ≤ 1`, value: t.membershipPerList, bound: 1,
      detail: `${t.membershipTransactions} PlaylistTracks writes ÷ ${t.listsStored} lists = ${t.membershipPerList.toFixed(3)}; songs: ${t.songTransactions} Tracks transactions (${t.songTransactionsPerNewSong.toFixed(3)} per new song)`,
      met: t.membershipPerList <= 1 });
  }
  if (results.sameDataset) {
    const s = results.sameDataset;
    goals.push({ what: 'day-0 exports of the two modes identical', value: s.identical, bound: true,
      detail: `${s.rowsA} vs ${s.rowsB} rows; ${s.onlyA} only JSON, ${s.onlyB} only HTML, ${s.differing} differing (every column but ${s.excludedColumns.join(', ')})`, met: s.identical });
  }
  if (api1?.figuresCheck) {
    const x = api1.figuresCheck;
    goals.push({ what: 'day-1 status figures as the Sandbox changed (new, gone, detailed 0, refreshed = rows)', value: x.exact, bound: true,
      detail: x.checks.map((c) => `${c.what} ${c.got}${c.got === c.want ? '' : ` ≠ ${c.want}`}`).join(', '), met: x.exact });
  }
  for (const [name, run] of Object.entries({ api0, api1, page0 })) {
    if (run?.exact) goals.push({ what: `${runNames[name]}: export and status exactly the Sandbox's day ${name === 'api1' ? 1 : 0}`, value: run.exact.exact, bound: true, detail: exactText(run.exact), met: run.exact.exact });
  }
  out.goals = goals;
  if (api1) out.cost = dailyCost(results, out, efficiency);
  return out;
}

/**
 * A run on fewer pages projected to the real size: list requests exactly (the plan's pages at 38, from the Sandbox),
 * the refresh's covers as the 38-page change needs them (times what the run fetched per cover needed, 1 when exact),
 * every other request per playlist as measured × the rows at 38.
 */
function project(results, out, efficiency) {
  const p = results.projection;
  const runs = {};
  for (const [name, run] of Object.entries(results.runs)) {
    const m = out.runs[name]?.requests;
    if (!m) continue;
    const day = name === 'api1' ? p.day1 : p.day0;
    const scale = day.rows / run.rows;
    const cover = name === 'api1' && run.change?.coversToFetch ? p.change.coversToFetch * (m.cover / run.change.coversToFetch) : m.cover * scale;
    const list = day.listPages, catalogue = m.catalogue, detail = m.detail * scale, other = m.other * scale;
    const songs = (m.songs ?? 0) * scale, tracks = (m.tracks ?? 0) * scale;
    const total = list + catalogue + detail + cover + songs + other;
    const requests = { total, list, catalogue, detail, cover, songs, tracks, other, nonCover: total - cover, perPlaylist: total / day.rows, nonCoverPerPlaylist: (total - cover) / day.rows };
    runs[name] = { rows: day.rows, scale, requests, timeAt2: siteTime(requests, efficiency.value) };
  }
  return { pages: p.pages, runs, change: p.change };
}

/**
 * A whole-site refresh a day on Azure (lib/prices.mjs): the refresh's crawl-phase storage transactions (measured
 * unthrottled), the time-based storage traffic while a refresh at 2 req/s runs (the polite run's idle window, per second),
 * Functions Flex GB-s for the time at 2 req/s (one instance executing throughout) and executions (queue messages
 * completed + entity batches, counted).
 */
function dailyCost(results, out, efficiency) {
  const run = results.runs.api1;
  // On fewer pages than a real category: the projection's time, and the transactions per playlist × its rows.
  const projected = out.projection?.runs.api1;
  const scale = projected?.scale ?? 1;
  // The covers' operations scale with the covers to fetch, the rest with the rows.
  const coverScale = projected && out.runs.api1.requests.cover ? projected.requests.cover / out.runs.api1.requests.cover : scale;
  const scaled = run.storage.detail.map((d) => ({ ...d, n: d.n * (d.resource === 'covers' ? coverScale : scale) }));
  const seconds = (projected ?? out.runs.api1).timeAt2.oneGroup;
  const crawl = priceRows(scaled);
  const idle = results.polite?.day1?.storage?.idleDetail?.length
    ? priceRows(results.polite.day1.storage.idleDetail.map((d) => ({ ...d, n: d.perSecond * seconds })))
    : null;
  const idlePerSecond = results.polite?.day1?.storage?.idlePerSecond ?? null;
  const fx = prices.functions;
  const gbSeconds = fx.instanceMemoryGB * seconds;
  const executions = run.storage.executionsPerThousand * run.rows * scale / 1000;
  const functionsUsd = gbSeconds * fx.gbSecond + (executions / 1e6) * fx.perMillionExecutions;
  const storageUsd = crawl.usd + (idle?.usd ?? 0);
  const day = storageUsd + functionsUsd;
  const month = 30 * day;
  const monthAfterGrant = 30 * storageUsd + Math.max(0, 30 * gbSeconds - fx.freeGbSecondsPerMonth) * fx.gbSecond
    + Math.max(0, 30 * executions - fx.freeExecutionsPerMonth) / 1e6 * fx.perMillionExecutions;
  const blobWrites = crawl.byCategory.blobWrite ?? 0;
  const coverWrites = scaled.filter((d) => d.resource === 'covers' && priceCategory(d.service, d.op) === 'blobWrite').reduce((a, d) => a + d.n, 0);
  return {
    rows: Math.round(run.rows * scale), projected: Boolean(projected), measuredRows: run.rows, seconds, efficiency: efficiency.value,
    storage: { crawlTransactions: Object.values(crawl.byCategory).reduce((a, n) => a + n, 0), crawlByCategory: crawl.byCategory, crawlUsd: crawl.usd,
      blobWrites, coverWrites, blobWritesUsd: blobWrites * prices.storage.blobWrite / 10_000, coverWritesUsd: coverWrites * prices.storage.blobWrite / 10_000,
      queueUsd: (crawl.byCategory.queue ?? 0) * prices.storage.queue / 10_000, tableUsd: (crawl.byCategory.table ?? 0) * prices.storage.table / 10_000,
      idlePerSecond, idleTransactions: idle ? Object.values(idle.byCategory).reduce((a, n) => a + n, 0) : null, idleUsd: idle?.usd ?? null, usd: storageUsd },
    functions: { gbSeconds, executions, usd: functionsUsd },
    perDay: day, perMonth: month, perMonthAfterFreeGrant: monthAfterGrant,
  };
}

const runNames = { api0: 'day 0, JSON lists', api1: 'day 1 refresh, JSON lists', page0: 'day 0, HTML pages' };

function exactText(x) {
  if (!x) return '—';
  const parts = [`${x.ids.rows} rows of ${x.ids.expectedRows}`, `${x.ids.duplicates} duplicates`, `${x.ids.categoriesWrong.length} categories with missing/extra ids`,
    `${x.ids.coversInCsv} covers of ${x.ids.expectedCovers}`, `${x.countRowsWrong} rows with wrong counts`, `${x.coverUrlsWrong} wrong cover URLs`,
    `status ${x.status.exact ? `exact on ${x.status.checked} counts` : `wrong on ${x.status.wrong.length} of ${x.status.checked}: ${x.status.wrong.slice(0, 4).map((w) => `${w.what} ${w.got} ≠ ${w.want}`).join('; ')}`}`
      + (x.status.coversStored ? ` (covers.stored not checked on a refresh: ${x.status.coversStored.got}, the covers this crawl stored; its rows hold ${x.status.coversStored.want})` : '')];
  return `${x.exact ? 'exact' : 'NOT exact'}: ${parts.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// The table

export function dailyTable(r) {
  const f = (v, d = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toFixed(d));
  const n = (v) => (v == null ? '—' : Math.round(Number(v)).toLocaleString('en-US'));
  const min = (s) => (s == null ? '—' : s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${(s / 60).toFixed(1)} min`);
  const F = r.figures;
  const names = ['api0', 'api1', 'page0'].filter((k) => r.runs[k]);
  const cell = (pick) => names.map((k) => { try { return pick(r.runs[k], F.runs[k], k) ?? '—'; } catch { return '—'; } }).join(' | ');
  const row = (what, pick) => `| ${what} | ${cell(pick)} |`;
  const eff = F.efficiency;
  const lines = [
    `# daily refresh: ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.settings.label ? ` — ${r.settings.label}` : ''}`,
    '',
    `Machine: ${r.machine.nproc} cores, ${r.machine.cpuModel}, ${r.machine.memory}; load before ${r.machine.loadBefore}, after ${r.machine.loadAfter}. `
      + `Sandbox: \`--Sandbox:AllPagesFull=true --Sandbox:PagesPerCategory=${r.settings.pages}\` (72 menu categories), day 0 then day 1 on the same port; `
      + `each crawl \`POST /api/crawls {"categories":["all"],"maxPages":0}\` on the WebJobs host at ${r.settings.fastRate} req/s (unthrottled), `
      + `Azurite in memory${r.settings.queuePatch ? ' with bench/lib/azurite-queue-patch.cjs' : ''} behind the counting proxy. `
      + `The two JSON-list crawls share one storage account and one host process; the HTML-page crawl has its own.`,
    '',
    `| figure | ${names.map((k) => runNames[k]).join(' | ')} |`,
    `|---|${names.map(() => '---:').join('|')}|`,
    row('rows exported (status done)', (x) => n(x.rows)),
    row('status: refreshed / detailed / new / gone / repeats', (x) => { const p = x.status.playlists; return `${n(p.refreshed)} / ${n(p.detailed)} / ${n(p.new)} / ${n(p.gone)} / ${n(p.repeats)}`; }),
    row('status: discovered / skipped / failed; pages', (x) => { const p = x.status.playlists; return `${n(p.discovered)} / ${n(p.skipped)} / ${n(p.failed)}; ${n(x.status.pages.done)}/${n(x.status.pages.total)}`; }),
    row('site requests', (x, y) => n(y.requests.total)),
    row('… list: JSON list answers / HTML list pages', (x, y) => `${n(y.requests.jsonLists)} / ${n(y.requests.htmlLists)}`),
    row('… catalogue / menu page', (x, y) => n(y.requests.catalogue)),
    row('… detail (page or API)', (x, y) => n(y.requests.detail)),
    row('… cover', (x, y) => n(y.requests.cover)),
    row('… songs (song detail, batches of 200)', (x, y) => n(y.requests.songs)),
    row('track lists stored / PlaylistTracks and Tracks transactions', (x) => (x.trackFigures ? `${n(x.trackFigures.listsStored)} / ${n(x.trackFigures.membershipTransactions)} and ${n(x.trackFigures.songTransactions)}` : '—')),
    row('… other', (x, y) => n(y.requests.other)),
    row('requests per playlist', (x, y) => f(y.requests.perPlaylist, 3)),
    row('non-cover requests per playlist', (x, y) => f(y.requests.nonCoverPerPlaylist, 4)),
    row(`site time at 2 req/s (requests ÷ (2 × ${f(eff.value, 3)}))`, (x, y) => min(y.timeAt2.oneGroup)),
    row('… with covers paced apart (the image CDN, as on the real site)', (x, y) => min(y.timeAt2.coversApart)),
    row('storage transactions per playlist (crawl phase)', (x) => f(x.storage.perPlaylist, 3)),
    row('… queue / table / blob', (x) => `${f(x.storage.byService.queue, 3)} / ${f(x.storage.byService.table, 3)} / ${f(x.storage.byService.blob, 3)}`),
    row('… app / Durable / WebJobs', (x) => `${f(x.storage.byOwner.app, 3)} / ${f(x.storage.byOwner.durable, 3)} / ${f(x.storage.byOwner.webjobs, 3)}`),
    row('wall time, POST → completed (unthrottled)', (x) => `${f(x.crawlSeconds, 0)} s (${f(x.rows / x.crawlSeconds, 0)} rows/s)`),
    row('export (GET /api/playlists.csv?crawlId=…)', (x) => `${f(x.exportSeconds, 1)} s`),
    row('exact vs /_sandbox/expected for its day', (x) => (x.exact?.exact ? 'exact' : 'NOT exact')),
    row('load (1 min) at start / highest / at end; machine busy', (x) => `${f(x.load.atStart, 1)} / ${f(x.load.duringMax, 1)} / ${f(x.load.atEnd, 1)}; ${f(x.load.machineBusy * 100, 0)} %`),
    row('CPU s: host / Sandbox / Azurite / proxy', (x) => `${f(x.cpuSeconds.host, 0)} / ${f(x.cpuSeconds.sandbox, 0)} / ${f(x.cpuSeconds.azurite, 0)} / ${f(x.cpuSeconds.proxy, 0)}`),
  ];
  const P = F.projection;
  if (P) {
    const prow = (what, pick) => `| ${what} | ${names.map((k) => (P.runs[k] ? pick(P.runs[k]) : '—')).join(' | ')} |`;
    lines.push(
      prow(`**projected to ${P.pages} pages** (a real category's size): rows`, (x) => n(x.rows)),
      prow('… site requests: list + catalogue / detail / cover', (x) => `${n(x.requests.list + x.requests.catalogue)} / ${n(x.requests.detail)} / ${n(x.requests.cover)}`),
      prow('… site time at 2 req/s', (x) => min(x.timeAt2.oneGroup)),
      prow('… with covers paced apart (the image CDN)', (x) => min(x.timeAt2.coversApart)));
  }
  lines.push('', `Efficiency: ${eff.source}, ${f(eff.value, 3)}.`);
  if (P) {
    const c = P.change;
    lines.push('', `Projection to ${P.pages} pages: the Sandbox's truth at that size read without crawling it (\`/_sandbox/expected\` and the list answers of day 0 and day 1: `
      + `${n(r.projection.day0.rows)} → ${n(r.projection.day1.rows)} rows, ${n(r.projection.day0.listPages)} list pages, ${n(c.newPairs)} new pairs, ${n(c.gonePairs)} gone, `
      + `${n(c.movedPairs)} moved covers, **${n(c.coversToFetch)} covers to fetch** on day 1); list requests = the plan's pages at that size, the refresh's covers = those to fetch × `
      + `(covers fetched ÷ covers to fetch as measured), every other request per playlist as measured × the rows. The cost below scales the covers' storage operations with the covers to fetch, the other transactions and the executions per playlist.`);
  }
  if (r.polite) {
    const p = r.polite.day1;
    lines.push('', `Polite refresh (the efficiency above): the same bench on ${r.polite.pages} pages per category — day 0 unthrottled (${n(r.polite.day0.rows)} rows), `
      + `then day 1 at ${r.polite.rate} req/s: ${n(p.rows)} rows, ${n(p.site.requests)} site requests (${Object.entries(p.site.byKind).filter(([, v]) => v).map(([k, v]) => `${k} ${n(v)}`).join(', ')}) `
      + `in ${f(p.crawlSeconds, 0)} s POST → completed; the site's arrivals (covers apart): ${n(p.arrivals?.requests)}, efficiency ${f(p.arrivals?.efficiency, 3)} over ${f(p.arrivals?.spanSeconds, 0)} s first to last, `
      + `busiest sliding second ${p.arrivals?.busiestWindow} (${p.arrivals?.windowsOverLimit} windows over the limit); `
      + (p.coverArrivals ? `the covers' (from the Sandbox's cover host, on their own pace): ${n(p.coverArrivals.requests)}, efficiency ${f(p.coverArrivals.efficiency, 3)} over ${f(p.coverArrivals.spanSeconds, 0)} s, busiest sliding second ${p.coverArrivals.busiestWindow}; ` : '')
      + `predicted ${f(p.site.requests / (r.polite.rate * (p.arrivals?.efficiency ?? 1)), 0)} s of site time on one pace, `
      + `${f(Math.max(p.arrivals?.requests ?? 0, p.coverArrivals?.requests ?? 0) / (r.polite.rate * (p.arrivals?.efficiency ?? 1)), 0)} s with the covers apart; `
      + `storage ${f(p.storage.perPlaylist, 3)} transactions per playlist at this pace, ${f(p.storage.idlePerSecond, 2)}/s idle after it `
      + `(${(p.storage.idleDetail ?? []).slice(0, 5).map((d) => `${d.resource} ${d.op} ${d.perSecond}/s`).join(', ')}).`);
  }
  const c = r.runs.api1?.change;
  if (c) {
    lines.push('', `Day 0 → day 1 on the Sandbox (from \`/_sandbox/expected?day=0|1&counts=true\` for the ids, and the site's own JSON list answers, read by the bench after each crawl's figures were taken, for the cover URLs, which the expected answer does not carry): `
      + `${n(c.pairsDay0)} → ${n(c.pairsDay1)} (category, playlist) rows; ${n(c.newPairs)} new to their category (${n(c.newIds)} new ids), ${n(c.gonePairs)} gone from their lists, `
      + `${n(c.movedPairs)} with a moved cover (${n(c.movedIds)} ids); covers a refresh must fetch (each id once, new or moved, not on a foreign host): **${n(c.coversToFetch)}**.`);
    const a1 = r.runs.api1, y1 = F.runs.api1.requests;
    lines.push(`The refresh fetched ${n(y1.cover)} covers (${y1.cover === c.coversToFetch ? 'exactly those' : `${n(y1.cover - c.coversToFetch)} more than those`}) and made ${n(y1.detail)} detail requests; `
      + `status new ${n(a1.status.playlists.new)} (truth ${n(c.newPairs)}), gone ${n(a1.status.playlists.gone)} (truth ${n(c.gonePairs)}), refreshed ${n(a1.status.playlists.refreshed)} of ${n(a1.rows)} rows.`);
  }
  lines.push('', '| goal | measured | verdict |', '|---|---|---|');
  for (const g of F.goals) lines.push(`| ${g.what} | ${g.detail} | ${g.met ? 'met' : '**missed**'} |`);
  if (F.cost) {
    const k = F.cost;
    lines.push('', `Azure cost of one whole-site refresh a day (${n(k.rows)} rows${k.projected ? `, projected to ${F.projection.pages} pages from the ${n(k.measuredRows)} measured` : ''}; lib/prices.mjs list prices; ${min(k.seconds)} at 2 req/s):`, '',
      '| item | per day | per month (30 days) |', '|---|---:|---:|',
      `| storage, the refresh's crawl phase: ${n(k.storage.crawlTransactions)} transactions (${Object.entries(k.storage.crawlByCategory).map(([cat, v]) => `${cat} ${n(v)}`).join(', ')}) | $${f(k.storage.crawlUsd, 4)} | $${f(30 * k.storage.crawlUsd, 3)} |`,
      `| … of which cover writes (the changed covers): ${n(k.storage.coverWrites)} | $${f(k.storage.coverWritesUsd, 4)} | $${f(30 * k.storage.coverWritesUsd, 3)} |`,
      `| … of which other blob writes (Durable's large messages): ${n(k.storage.blobWrites - k.storage.coverWrites)} | $${f(k.storage.blobWritesUsd - k.storage.coverWritesUsd, 4)} | $${f(30 * (k.storage.blobWritesUsd - k.storage.coverWritesUsd), 3)} |`,
      `| … of which queue / table | $${f(k.storage.queueUsd, 4)} / $${f(k.storage.tableUsd, 5)} | $${f(30 * k.storage.queueUsd, 3)} / $${f(30 * k.storage.tableUsd, 4)} |`,
      `| storage, time-based polling while it runs (${f(k.storage.idlePerSecond, 2)}/s idle, measured after the polite refresh, × ${f(k.seconds, 0)} s) | ${k.storage.idleUsd == null ? '—' : `$${f(k.storage.idleUsd, 4)}`} | ${k.storage.idleUsd == null ? '—' : `$${f(30 * k.storage.idleUsd, 3)}`} |`,
      `| Functions Flex: ${n(k.functions.gbSeconds)} GB-s (2 GB × the time at 2 req/s), ${n(k.functions.executions)} executions | $${f(k.functions.usd, 4)} | $${f(30 * k.functions.usd, 3)} |`,
      `| **total** (before the monthly free grant) | **$${f(k.perDay, 4)}** | **$${f(k.perMonth, 2)}** |`,
      `| total after the free grant (100,000 GB-s, 250,000 executions a month) | | $${f(k.perMonthAfterFreeGrant, 2)} |`);
  }
  const s = r.sameDataset;
  if (s) {
    lines.push('', `Day-0 exports compared row by row, keyed (category, playlist_id), on ${s.comparedColumns.length} columns (all but ${s.excludedColumns.join(', ')}): `
      + `${s.identical ? 'identical' : 'NOT identical'}; the same row order: ${s.sameOrder ? 'yes' : 'no'}.`
      + (s.differing ? ` Differing columns: ${Object.entries(s.byColumn).map(([col, v]) => `${col} ${v}`).join(', ')}; e.g. ${JSON.stringify(s.examples[0])}` : ''));
  }
  for (const k of names) {
    const x = r.runs[k];
    lines.push('', `${runNames[k]}: ${exactText(x.exact)}.`);
    if (x.exact && !x.exact.exact && x.exact.examples.length) lines.push(`  e.g. ${x.exact.examples.slice(0, 3).map((e) => JSON.stringify(e)).join('; ')}`);
    const h = x.hostLog;
    if (h?.lines) lines.push(`  host log${k === 'api1' ? ' (the one host of both JSON-list crawls)' : ''}: ${h.lines} warning/error lines: ${h.groups.slice(0, 3).map((g) => `${g.n}× “${g.text.slice(0, 140)}”`).join('; ')}`);
  }
  // Every run's crawl-phase operations side by side, per 1,000 playlists, the refresh's largest first.
  const ops = new Map();
  for (const k of names) for (const d of r.runs[k].storage.detail) {
    const key = `${d.owner}|${d.service}|${d.resource}|${d.op}`;
    if (!ops.has(key)) ops.set(key, { d, per: {} });
    ops.get(key).per[k] = (d.n / r.runs[k].rows) * 1000;
  }
  const shown = [...ops.values()].filter((o) => Object.values(o.per).some((v) => v >= 0.5))
    .sort((a, b) => (b.per.api1 ?? 0) - (a.per.api1 ?? 0) || (b.per.api0 ?? 0) - (a.per.api0 ?? 0));
  lines.push('', 'Storage transactions of each crawl phase, per 1,000 playlists (rows exported):', '',
    `| owner | service | resource | operation | ${names.map((k) => runNames[k]).join(' | ')} |`, `|---|---|---|---|${names.map(() => '---:').join('|')}|`,
    ...shown.map((o) => `| ${o.d.owner} | ${o.d.service} | ${o.d.resource} | ${o.d.op} | ${names.map((k) => (o.per[k] == null ? '' : f(o.per[k], 1))).join(' | ')} |`),
    `| | | | **total** | ${names.map((k) => `**${f(r.runs[k].storage.perPlaylist * 1000, 0)}**`).join(' | ')} |`);
  if (r.loads.length) lines.push('', `Load average (1 min), every 30 s over the bench: ${r.loads.map((l) => l.load1.toFixed(1)).join(' ')}.`);
  return lines.join('\n');
}
