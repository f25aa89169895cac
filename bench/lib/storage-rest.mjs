// Minimal signed REST calls to Azurite (the bench reads a few things the host stores: the status entity's
// Instances row and its state blob). Shared Key for blob and queue, Shared Key Lite for table; no SDK needed.
import crypto from 'node:crypto';

const version = '2021-12-02';

/** A client for one account: { account, key, blob, queue, table } (endpoints without the account path). */
export function storageRest({ account, key, endpoints }) {
  const secret = Buffer.from(key, 'base64');
  const sign = (text) => crypto.createHmac('sha256', secret).update(text, 'utf8').digest('base64');

  async function request(service, method, path, { query = {}, headers = {}, body } = {}) {
    const url = new URL(`${endpoints[service]}/${account}/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const date = new Date().toUTCString();
    const h = { 'x-ms-date': date, 'x-ms-version': version, ...headers };
    let authorization;
    // Path-style endpoints (Azurite): the canonical resource is /account + the whole path, account included.
    const resource = `/${account}${decodeURIComponent(url.pathname)}`;
    if (service === 'table') {
      // Shared Key Lite for the Table service: Date \n CanonicalizedResource (with ?comp= only).
      h.Date = date;
      const comp = url.searchParams.get('comp');
      authorization = `SharedKeyLite ${account}:${sign(`${date}\n${resource}${comp ? `?comp=${comp}` : ''}`)}`;
    } else {
      const length = body ? Buffer.byteLength(body) : 0;
      const canonicalHeaders = Object.entries(h).filter(([k]) => k.toLowerCase().startsWith('x-ms-'))
        .map(([k, v]) => [k.toLowerCase(), String(v).trim()]).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}:${v}\n`).join('');
      const params = [...url.searchParams.keys()].map((k) => k.toLowerCase()).sort()
        .map((k) => `\n${k}:${url.searchParams.getAll(k).join(',')}`).join('');
      const text = [method, '', '', length ? String(length) : '', '', h['content-type'] ?? '', '', '', '', '', '', ''].join('\n')
        + '\n' + canonicalHeaders + resource + params;
      authorization = `SharedKey ${account}:${sign(text)}`;
    }
    const response = await fetch(url, { method, headers: { ...h, Authorization: authorization }, body, signal: AbortSignal.timeout(30_000) });
    return response;
  }

  return {
    request,
    /** Table entities matching an OData filter (all pages). */
    async queryEntities(table, filter, select) {
      const rows = [];
      let next = {};
      do {
        const query = { $filter: filter, ...(select ? { $select: select } : {}), ...next };
        const r = await request('table', 'GET', `${table}()`, { query, headers: { Accept: 'application/json;odata=nometadata' } });
        if (r.status === 404) return rows;
        if (!r.ok) throw new Error(`query ${table}: HTTP ${r.status} ${await r.text()}`);
        rows.push(...(await r.json()).value);
        const pk = r.headers.get('x-ms-continuation-nextpartitionkey'), rk = r.headers.get('x-ms-continuation-nextrowkey');
        next = pk ? { NextPartitionKey: pk, ...(rk ? { NextRowKey: rk } : {}) } : null;
      } while (next);
      return rows;
    },
    /** Blob names and sizes in a container, optionally under a prefix. */
    async listBlobs(container, prefix = '') {
      const blobs = [];
      let marker = '';
      do {
        const query = { restype: 'container', comp: 'list', ...(prefix ? { prefix } : {}), ...(marker ? { marker } : {}) };
        const r = await request('blob', 'GET', container, { query });
        if (r.status === 404) return blobs;
        if (!r.ok) throw new Error(`list ${container}: HTTP ${r.status} ${await r.text()}`);
        const xml = await r.text();
        for (const m of xml.matchAll(/<Blob>.*?<Name>(.*?)<\/Name>.*?<Content-Length>(\d+)<\/Content-Length>.*?<\/Blob>/gs)) blobs.push({ name: m[1], bytes: +m[2] });
        marker = /<NextMarker>(.*?)<\/NextMarker>/.exec(xml)?.[1] ?? '';
      } while (marker);
      return blobs;
    },
    async getBlob(container, name) {
      const r = await request('blob', 'GET', `${container}/${name.split('/').map(encodeURIComponent).join('/')}`);
      if (!r.ok) throw new Error(`get ${container}/${name}: HTTP ${r.status}`);
      return Buffer.from(await r.arrayBuffer());
    },
  };
}
