// One line per bench run, from the JSON files bench/run.sh saves: for comparing experiments.
//   node bench/lib/summarize.mjs bench/results/bench-*.json
import { readFileSync } from 'node:fs';

const f = (x, d = 1) => (x == null || Number.isNaN(x) ? '—' : Number(x).toFixed(d));
console.log('| run | load | polite efficiency | busiest | steady req/s | unthrottled playlists/s | host CPU s/1k | Azurite CPU s | tx/playlist (q/t/b) | Durable tx/playlist | signals | entity batches | storage $/1k |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const file of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  for (const run of Object.values(r.runs)) {
    if (!run.label.startsWith('ours')) continue;
    const s = run.storage;
    const polite = run.label.endsWith('polite');
    console.log(`| ${r.settings.label ?? run.label} (${run.label}) | ${f(run.load1, 2)} | ${polite ? f(run.site.efficiency, 3) : ''} | ${run.site.busiest} `
      + `| ${polite ? f(run.site.steadyRate, 2) : ''} | ${polite ? '' : f(run.playlistsPerSecond)} | ${f(run.cpu.perThousandPlaylists)} | ${f(run.cpu.azurite)} `
      + `| ${s ? `${f(s.perPlaylist, 2)} (${f(s.byService.queue, 2)}/${f(s.byService.table, 2)}/${f(s.byService.blob, 2)})` : ''} `
      + `| ${s ? f(s.byOwner.durable, 2) : ''} | ${s ? s.signals : ''} | ${s ? s.entityBatches : ''} | ${s ? '$' + f(s.costPerThousandPlaylists, 4) : ''} |`);
  }
}
