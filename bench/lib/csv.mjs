// Reads the crawlers' playlists.csv (RFC 4180, BOM, CRLF, quoted line breaks) and compares two of them.
import { readFileSync } from 'node:fs';

export function readCsv(path) {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** The columns both crawlers must agree on (not cover_blob, crawled_at: where and when differ by design). */
export const comparedColumns = ['name', 'creator_id', 'creator_nickname', 'description', 'track_count', 'play_count', 'subscribed_count',
  'share_count', 'comment_count', 'tags', 'created_at', 'cover_url', 'cover_bytes', 'cover_sha256'];

/** Rows keyed by (category, playlist_id): how many only one side has, and how many shared rows differ (with examples). */
export function compareCsv(aPath, bPath) {
  const index = (rows) => new Map(rows.map((r) => [`${r.category}|${r.playlist_id}`, r]));
  const a = index(readCsv(aPath)), b = index(readCsv(bPath));
  let onlyA = 0, onlyB = 0, differing = 0;
  const examples = [];
  for (const [key, row] of a) {
    const other = b.get(key);
    if (!other) { onlyA++; continue; }
    const diff = comparedColumns.filter((c) => row[c] !== other[c]);
    if (diff.length) {
      differing++;
      if (examples.length < 3) examples.push({ key, columns: diff, a: diff.map((c) => row[c]), b: diff.map((c) => other[c]) });
    }
  }
  for (const key of b.keys()) if (!a.has(key)) onlyB++;
  return { rowsA: a.size, rowsB: b.size, onlyA, onlyB, differing, examples };
}
