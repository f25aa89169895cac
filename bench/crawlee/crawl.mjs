// The reference crawler for bench/run.sh: Crawlee's CheerioCrawler doing the FunctionsCrawler's work on
// the same site — every list page of the categories (offset paging, total pages from the pager), every
// playlist's detail page (the fields of shared/reference/netease-site.md), every full-size cover saved
// as a file — and one CSV with the FunctionsCrawler's columns.
//
//   node crawl.mjs --base-url http://127.0.0.1:5080/ --categories 说唱,华语 --max-pages 10 --out DIR
//                  [--rpm 1200]             requests per minute (Crawlee's maxRequestsPerMinute; 0 = no limit)
//                  [--min-concurrency N] [--max-concurrency N]
//                  [--hold]                 after the export, wait for SIGTERM (the bench reads /proc meanwhile)
//
// Prints "crawl started" just before the crawl, "first row" when the first playlist is complete (its detail
// parsed and its cover saved or refused), "progress N" (rows complete so far) every 500 ms, and
// "Exported N rows …" once the CSV is written.
// Crawlee's own storage goes where CRAWLEE_STORAGE_DIR points (bench/run.sh gives it a temporary folder).
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheerioCrawler, Configuration, log, LogLevel } from 'crawlee';

const args = parseArgs(process.argv.slice(2));
const baseUrl = new URL(args['base-url'] ?? 'http://127.0.0.1:5080/');
const categories = (args.categories ?? '说唱').split(',').map((c) => c.trim()).filter(Boolean);
const maxPages = Number(args['max-pages'] ?? 0);
const rpm = Number(args.rpm ?? 0);
const out = args.out ?? 'crawlee-output';
const pageSize = 35;
const notFoundText = '很抱歉，你要查找的网页找不到';

mkdirSync(join(out, 'covers'), { recursive: true });
log.setLevel(LogLevel.WARNING);

/** category -> ids in list order; a playlist in two categories is fetched once and has a row in each. */
const listed = new Map(categories.map((c) => [c, new Set()]));
/** playlist id (string: ids can pass 2^53) -> detail, or { gone } */
const details = new Map();
const covers = new Map(); // id -> { blob, bytes, sha256 } or { problem }
let firstRow = false;
/** A playlist is complete once its cover is settled; the first one is announced at once, the rest counted by `progress`. */
function settled(id) {
  if (firstRow || details.get(id)?.gone) return;
  firstRow = true;
  console.log('first row');
}
const rowsComplete = () => [...listed.values()].reduce((n, ids) => n + [...ids].filter((id) => covers.has(id) && !details.get(id)?.gone).length, 0);
const progress = setInterval(() => console.log(`progress ${rowsComplete()}`), 500);

const listUrl = (category, page) =>
  new URL(`discover/playlist/?order=hot&cat=${encodeURIComponent(category)}&limit=${pageSize}&offset=${page * pageSize}`, baseUrl).href;

const crawler = new CheerioCrawler({
  maxRequestsPerMinute: rpm > 0 ? rpm : undefined,
  minConcurrency: args['min-concurrency'] ? Number(args['min-concurrency']) : undefined,
  maxConcurrency: args['max-concurrency'] ? Number(args['max-concurrency']) : undefined,
  additionalMimeTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  maxRequestRetries: 3,
  requestHandlerTimeoutSecs: 60,
  async requestHandler({ request, $, body, crawler: self }) {
    const { label } = request.userData;
    if (label === 'LIST') {
      const { category, page } = request.userData;
      const ids = [];
      $('#m-pl-container li a.msk').each((_, a) => {
        const id = /[?&]id=(\d+)/.exec($(a).attr('href') ?? '')?.[1];
        if (id) ids.push(id);
      });
      if (page === 0) {
        const last = Number($('#m-pl-pager a.zpgi').last().text().trim()) || 1;
        const total = ids.length === 0 ? 1 : maxPages > 0 ? Math.min(last, maxPages) : last;
        const more = [];
        for (let p = 1; p < total; p++) more.push({ url: listUrl(category, p), userData: { label: 'LIST', category, page: p } });
        await self.addRequests(more);
      }
      for (const id of ids) listed.get(category).add(id);
      await self.addRequests(ids.map((id) => ({ url: new URL(`playlist?id=${id}`, baseUrl).href, userData: { label: 'DETAIL', id } })));
    } else if (label === 'DETAIL') {
      const { id } = request.userData;
      const html = typeof body === 'string' ? body : body.toString('utf8');
      if (html.includes(notFoundText)) {
        details.set(id, { gone: 'not found' });
        return;
      }
      const detail = parseDetail($, id);
      details.set(id, detail);
      const cover = coverToFetch(detail.coverUrl);
      if (cover.url) await self.addRequests([{ url: cover.url, userData: { label: 'COVER', id } }]);
      else { covers.set(id, { problem: cover.problem }); settled(id); }
    } else if (label === 'COVER') {
      const { id } = request.userData;
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
      if (!isImage(bytes)) {
        covers.set(id, { problem: `not an image (${bytes.length} bytes)` });
        settled(id);
        return;
      }
      writeFileSync(join(out, 'covers', `${id}.jpg`), bytes);
      covers.set(id, { blob: `covers/${id}.jpg`, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      settled(id);
    }
  },
  failedRequestHandler({ request }, error) {
    if (request.userData.label === 'COVER') { covers.set(request.userData.id, { problem: error.message }); settled(request.userData.id); }
    console.error(`failed: ${request.url}: ${error.message}`);
  },
}, new Configuration({ persistStorage: false, purgeOnStart: true }));

console.log('crawl started');
await crawler.run(categories.map((category) => ({ url: listUrl(category, 0), userData: { label: 'LIST', category, page: 0 } })));
clearInterval(progress);
console.log(`progress ${rowsComplete()}`);
const rows = writeCsv(join(out, 'playlists.csv'));
const stored = [...covers.values()].filter((c) => c.blob);
console.log(`Exported ${rows} rows and ${stored.length} covers (${stored.reduce((n, c) => n + c.bytes, 0)} bytes) to ${out}`);
// For the bench: this process's CPU seconds and peak resident memory, read before it exits.
const usage = process.resourceUsage();
console.log(`stats ${JSON.stringify({ cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, maxRssKiB: usage.maxRSS })}`);
if (args.hold !== undefined) {
  process.on('SIGTERM', () => process.exit(0));
  setInterval(() => {}, 1 << 30);
}

function parseDetail($, id) {
  const fav = $('a[data-res-action=fav]').first();
  const share = $('a[data-res-action=share]').first();
  const creator = $('div.user span.name a.s-fc7').first();
  const ld = linkedData($);
  const title = $('title').first().text().trim();
  const name = firstNonBlank($('h2.f-ff2').first().text(), title.endsWith(' - 歌单 - 网易云音乐') ? title.slice(0, -' - 歌单 - 网易云音乐'.length) : '',
    share.attr('data-res-name'));
  const img = $('.cover img.j-img').first();
  return {
    id,
    name,
    coverUrl: fullSize(firstNonBlank(img.attr('data-src'), ld.image, share.attr('data-res-pic'), img.attr('src'))),
    creatorId: /[?&]id=(\d+)/.exec(creator.attr('href') ?? '')?.[1] ?? '',
    creatorNickname: creator.text().trim(),
    description: description($, $('#album-desc-more').first()),
    tags: $('div.tags a.u-tag i').map((_, i) => $(i).text().trim()).get().filter(Boolean),
    trackCount: count($('#playlist-track-count').first().text()) ?? 0,
    playCount: count($('#play-count').first().text()) ?? 0,
    subscribedCount: count(fav.attr('data-count')) ?? count(fav.text()) ?? 0,
    shareCount: count(share.attr('data-count')) ?? count(share.text()) ?? 0,
    commentCount: count($('#cnt_comment_count').first().text()) ?? 0,
    createdAt: ld.published ?? createdFromText($('span.time').first().text()),
  };
}

/** p#album-desc-more: the "介绍：" label dropped, each <br> a line break, the rest as text, trimmed. */
function description($, p) {
  if (p.length === 0) return '';
  let text = '';
  let afterBreak = false;
  let labelSeen = false;
  const walk = (node) => {
    for (const child of node.childNodes ?? []) {
      if (child.type === 'tag' && child.name === 'br') { text += '\n'; afterBreak = true; }
      else if (child.type === 'tag' && child.name === 'b' && !labelSeen && text.trim() === '' && /^介绍[：:]$/.test($(child).text().trim())) labelSeen = true;
      else if (child.type === 'tag') walk(child);
      else if (child.type === 'text') {
        let value = child.data.replace(/\r\n/g, '\n');
        if (afterBreak && value.startsWith('\n')) value = value.slice(1);
        text += value;
        afterBreak = false;
      }
    }
  };
  walk(p.get(0));
  return text.trim();
}

function linkedData($) {
  for (const script of $('script[type="application/ld+json"]').get()) {
    try {
      const json = JSON.parse($(script).text());
      return { image: Array.isArray(json.images) ? json.images[0] : undefined, published: beijingToUtc(json.pubDate) };
    } catch { /* user text can break the site's JSON: the markup still has the fields */ }
  }
  return {};
}

/** "2016-03-17T12:57:22" in Beijing time -> "2016-03-17T04:57:22Z". */
function beijingToUtc(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +(m[6] ?? 0));
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function createdFromText(text) {
  const m = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], -8)).toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

/** "2034", "(2034)", "1,234", "27万", "1.5亿" -> a number as a string (counts can pass 2^53); null without digits. */
function count(text) {
  const m = /([0-9]+(?:\.[0-9]+)?)\s*(万|亿)?/.exec((text ?? '').replace(/,/g, ''));
  if (!m) return null;
  if (!m[2]) return BigInt(m[1].split('.')[0]).toString();
  return Math.trunc(Number(m[1]) * (m[2] === '万' ? 1e4 : 1e8)).toString();
}

/** The full-size cover: the URL without its ?param=WxH resize. */
function fullSize(url) {
  return url ? url.replace(/\?param=[^&#]*$/, '').replace(/\?param=[^&#]*&/, '?') : url;
}

/** Covers come from the image CDN (*.music.126.net) or the site itself; anything else is not fetched. */
function coverToFetch(url) {
  if (!url) return { problem: 'no cover URL' };
  let u;
  try { u = new URL(url, baseUrl); } catch { return { problem: 'cover URL is not a URL' }; }
  const allowed = u.hostname.endsWith('.music.126.net') || u.host === baseUrl.host;
  return allowed && /^https?:$/.test(u.protocol) ? { url: u.href } : { problem: `cover host '${u.hostname}' is not allowed` };
}

function isImage(b) {
  return (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) // JPEG
    || (b.length > 8 && b.toString('latin1', 1, 4) === 'PNG')
    || (b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    || (b.length > 6 && b.toString('latin1', 0, 4) === 'GIF8');
}

function writeCsv(path) {
  const header = ['playlist_id', 'category', 'name', 'creator_id', 'creator_nickname', 'description', 'track_count', 'play_count',
    'subscribed_count', 'share_count', 'comment_count', 'tags', 'created_at', 'cover_url', 'cover_blob', 'cover_bytes', 'cover_sha256', 'crawled_at'];
  const lines = [header.map(cell).join(',')];
  const crawledAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  let rows = 0;
  for (const category of categories) {
    for (const id of [...listed.get(category)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))) {
      const d = details.get(id);
      if (!d || d.gone) continue;
      const c = covers.get(id) ?? {};
      lines.push([d.id, category, d.name, d.creatorId, d.creatorNickname, d.description, d.trackCount, d.playCount, d.subscribedCount,
        d.shareCount, d.commentCount, d.tags.join(';'), d.createdAt, d.coverUrl ?? '', c.blob ?? '', c.bytes ?? '', c.sha256 ?? '', crawledAt]
        .map(cell).join(','));
      rows++;
    }
  }
  writeFileSync(path, '\uFEFF' + lines.join('\r\n') + '\r\n');
  return rows;
}

/** RFC 4180 quoting; a cell starting with = + - @ tab or CR gets a leading apostrophe (as the FunctionsCrawler's CSV). */
function cell(value) {
  let s = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function firstNonBlank(...values) {
  return values.find((v) => typeof v === 'string' && v.trim() !== '')?.trim();
}

function parseArgs(argv) {
  const result = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const [key, inline] = argv[i].slice(2).split(/=(.*)/s);
    result[key] = key === 'hold' ? true : inline ?? argv[++i];
  }
  return result;
}
