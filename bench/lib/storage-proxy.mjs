// A counting reverse proxy in front of Azurite: one listening port per storage service (blob, queue,
// table), every request forwarded unchanged, and counted by service, resource (queue, table,
// container) and operation. GET /counts on the control port answers the counts so far as JSON.
//
//   node storage-proxy.mjs --blob LISTEN:TARGET --queue LISTEN:TARGET --table LISTEN:TARGET --control PORT
//
// It prints "storage proxy ready" once every port listens. Table $batch requests are buffered to
// read the table name from the first sub-request (one batch is one storage transaction).
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const counts = new Map(); // "service\tresource\top" -> n
const connections = { blob: 0, queue: 0, table: 0 }; // TCP connections the clients opened, per service
let total = 0;

function count(service, resource, op) {
  const key = `${service}\t${resource}\t${op}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  total++;
}

/** Splits "/devstoreaccount1/name/rest?query" into the resource name, the rest of the path and the query. */
function parse(url) {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent); // drop the account
  return { parts, params };
}

export function classify(service, method, url) {
  const { parts, params } = parse(url);
  const comp = params.get('comp');
  if (service === 'queue') {
    if (parts.length === 0) return { resource: '(account)', op: comp === 'list' ? 'ListQueues' : `${method} account${comp ? ' ' + comp : ''}` };
    const queue = parts[0];
    if (parts.length === 1) {
      const op = method === 'PUT' && comp === 'metadata' ? 'SetQueueMetadata'
        : method === 'PUT' ? 'CreateQueue'
        : method === 'DELETE' ? 'DeleteQueue'
        : comp === 'metadata' ? 'GetQueueMetadata' : `${method} queue${comp ? ' ' + comp : ''}`;
      return { resource: queue, op };
    }
    if (parts.length === 2) {
      const op = method === 'POST' ? 'PutMessage'
        : method === 'GET' && params.get('peekonly') === 'true' ? 'PeekMessages'
        : method === 'GET' ? 'GetMessages'
        : method === 'DELETE' ? 'ClearMessages' : `${method} messages`;
      return { resource: queue, op };
    }
    return { resource: queue, op: method === 'DELETE' ? 'DeleteMessage' : method === 'PUT' ? 'UpdateMessage' : `${method} message` };
  }
  if (service === 'table') {
    if (parts.length === 0) return { resource: '(account)', op: `${method} account` };
    const first = parts[0];
    if (first === '$batch') return { resource: null, op: 'Batch' }; // resource filled in from the body
    if (first.startsWith('Tables')) {
      const op = method === 'POST' ? 'CreateTable' : method === 'DELETE' ? 'DeleteTable' : 'QueryTables';
      return { resource: '(account)', op };
    }
    const table = first.replace(/\(.*$/, '');
    const keyed = /\(.+\)/.test(first);
    const op = method === 'GET' ? (keyed ? 'GetEntity' : 'QueryEntities')
      : method === 'POST' ? 'InsertEntity'
      : method === 'PUT' ? (keyed ? 'UpsertEntity(replace)' : 'PUT table')
      : method === 'MERGE' || method === 'PATCH' ? 'UpsertEntity(merge)'
      : method === 'DELETE' ? 'DeleteEntity' : `${method} entity`;
    return { resource: table, op };
  }
  // blob
  if (parts.length === 0) return { resource: '(account)', op: comp === 'list' ? 'ListContainers' : `${method} account${comp ? ' ' + comp : ''}` };
  const container = parts[0];
  if (parts.length === 1) {
    const op = method === 'PUT' && comp === 'lease' ? 'LeaseContainer'
      : method === 'PUT' && comp === 'metadata' ? 'SetContainerMetadata'
      : method === 'PUT' ? 'CreateContainer'
      : method === 'DELETE' ? 'DeleteContainer'
      : comp === 'list' ? 'ListBlobs'
      : 'GetContainerProperties';
    return { resource: container, op };
  }
  const op = method === 'PUT' ? (comp === 'lease' ? 'LeaseBlob' : comp === 'metadata' ? 'SetBlobMetadata' : comp === 'properties' ? 'SetBlobProperties'
      : comp === 'block' ? 'PutBlock' : comp === 'blocklist' ? 'PutBlockList' : comp === 'appendblock' ? 'AppendBlock' : 'PutBlob')
    : method === 'HEAD' ? 'GetBlobProperties'
    : method === 'GET' ? (comp === 'metadata' ? 'GetBlobMetadata' : comp === 'blocklist' ? 'GetBlockList' : 'GetBlob')
    : method === 'DELETE' ? 'DeleteBlob' : `${method} blob${comp ? ' ' + comp : ''}`;
  return { resource: container, op };
}

function proxy(service, listenPort, targetPort) {
  const server = http.createServer((req, res) => {
    const { resource, op } = classify(service, req.method, req.url);
    const chunks = [];
    const forward = http.request({ host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent }, (up) => {
      res.writeHead(up.statusCode, up.statusMessage, up.rawHeaders);
      up.pipe(res);
    });
    forward.on('error', (e) => { if (!res.headersSent) res.writeHead(502); res.end(String(e)); });
    if (resource === null) {
      // A table batch: read the table from the first sub-request line ("POST http://…/devstoreaccount1/Name HTTP/1.1").
      req.on('data', (c) => { chunks.push(c); forward.write(c); });
      req.on('end', () => {
        const head = Buffer.concat(chunks).toString('latin1', 0, 8192);
        const m = /\/devstoreaccount1\/([A-Za-z0-9]+)/.exec(head);
        count(service, m ? m[1] : '(unknown)', op);
        forward.end();
      });
    } else {
      count(service, resource, op);
      req.pipe(forward);
    }
  });
  server.keepAliveTimeout = 120_000;
  server.on('connection', () => { connections[service]++; });
  return new Promise((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
}

function snapshot() {
  const rows = [...counts].map(([key, n]) => { const [service, resource, op] = key.split('\t'); return { service, resource, op, n }; });
  return { total, rows, connections: { ...connections } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pair = (s) => s.split(':').map(Number);
  await Promise.all(['blob', 'queue', 'table'].map((svc) => proxy(svc, ...pair(args[svc]))));
  http.createServer((req, res) => {
    if (req.url === '/counts') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(snapshot())); }
    else { res.writeHead(404); res.end(); }
  }).listen(Number(args.control), '127.0.0.1', () => console.log('storage proxy ready'));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
