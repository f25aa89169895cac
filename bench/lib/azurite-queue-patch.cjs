// Preloaded into the bench's Azurite (node --require) for the whole-site soak: Azurite 3.37's in-memory queue
// store answers every GetMessages/PeekMessages with a Loki find over *all* messages of the account plus a
// compoundsort, and runs a full expiry scan on every queue call. With ~100,000 messages queued that is ~0.5 s
// for polling an empty queue and ~1 s for a GetMessages (bench/README.md), which saturates the emulator and
// stalls the crawl; Azure Storage has no such cost. This replaces those three methods with one linear pass:
// the same messages in the same order (visible time, then insertion), the same dequeue bookkeeping; expired
// messages are removed at most once per 10 s per queue (the crawler's messages never expire during a soak), and a
// dequeue changes the stored message in place instead of through Loki's batch update (which re-sorts every index).
//
// And its extent garbage collector (every queue message and blob is an extent; every 60 s the dead ones are
// deleted) removes each dead extent with its own Loki findAndRemove, and each of those rebuilds the extent
// index: O(dead × all × log all), which at ~30,000 queued messages held Azurite's only thread for minutes
// (a whole-site soak stalled 4 minutes in). Here the dead extents of one sweep go in one batch removal.
// Transactions are unchanged: the counting proxy sees the same requests.
const { resolve } = require('node:path');

const root = process.env.FC_AZURITE_DIR ?? resolve(__dirname, '../../node_modules/azurite');
const Store = require(resolve(root, 'dist/src/queue/persistence/LokiQueueMetadataStore.js')).default;
const MemoryExtentStore = require(resolve(root, 'dist/src/common/persistence/MemoryExtentStore.js')).default;
const ExtentMetadata = require(resolve(root, 'dist/src/common/persistence/LokiExtentMetadataStore.js')).default;

ExtentMetadata.prototype.deleteExtentsInOneBatch = async function deleteExtentsInOneBatch(ids) {
  const coll = this.db.getCollection(this.EXTENTS_COLLECTION);
  coll.removeWhere((doc) => ids.has(doc.id)); // one pass, one index rebuild
};

MemoryExtentStore.prototype.deleteExtents = async function deleteExtents(extents) {
  const ids = new Set(extents);
  for (const id of ids) if (this.chunks.get(this.categoryName, id)) this.chunks.delete(this.categoryName, id);
  const metadata = this.metadataStore;
  if (typeof metadata.deleteExtentsInOneBatch === 'function') await metadata.deleteExtentsInOneBatch(ids);
  else for (const id of ids) await metadata.deleteExtent(id);
  return extents.length;
};
const lastExpiryScan = new Map();

/** The first `n` visible messages of the queue by (timeNextVisible, $loki), in one pass. */
function firstVisible(coll, account, queue, now, n) {
  const best = [];
  for (const doc of coll.data) {
    if (doc.queueName !== queue || doc.accountName !== account || doc.timeNextVisible > now) continue;
    if (best.length === n) {
      const last = best[n - 1];
      if (doc.timeNextVisible > last.timeNextVisible || (doc.timeNextVisible === last.timeNextVisible && doc.$loki > last.$loki)) continue;
      best.pop();
    }
    let i = best.length;
    while (i > 0 && (best[i - 1].timeNextVisible > doc.timeNextVisible
      || (best[i - 1].timeNextVisible === doc.timeNextVisible && best[i - 1].$loki > doc.$loki))) i--;
    best.splice(i, 0, doc);
  }
  return best;
}

Store.prototype.clearExpiredMessages = async function clearExpiredMessages(account, queue, context) {
  this.checkQueueExist(account, queue, context);
  const key = `${account}\t${queue}`;
  const now = Date.now();
  if (now - (lastExpiryScan.get(key) ?? 0) < 10_000) return;
  lastExpiryScan.set(key, now);
  const coll = this.db.getCollection(this.MESSAGES_COLLECTION);
  const expired = coll.data.filter((doc) => doc.queueName === queue && doc.accountName === account
    && new Date(doc.expirationTime).getTime() <= now);
  if (expired.length) coll.remove(expired);
};

Store.prototype.getMessages = async function getMessages(account, queue, timeNextVisible, popReceipt, numOfMessages, queryDate, context) {
  this.checkQueueExist(account, queue, context);
  await this.clearExpiredMessages(account, queue, context);
  const coll = this.db.getCollection(this.MESSAGES_COLLECTION);
  const queryTime = queryDate ? queryDate.getTime() : Date.now();
  const docs = firstVisible(coll, account, queue, queryTime, numOfMessages === undefined || numOfMessages < 1 ? 1 : numOfMessages);
  const visibleTimeInMillisecond = timeNextVisible.getTime();
  for (const doc of docs) {
    doc.timeNextVisible = visibleTimeInMillisecond;
    doc.popReceipt = popReceipt;
    doc.dequeueCount = Number(doc.dequeueCount) + 1;
  }
  // Not coll.update(docs): Loki's batch update marks every binary index dirty and the next indexed lookup re-sorts
  // it (O(n log n) per GetMessages); the fields changed here are not indexed, and the docs are the stored objects.
  coll.dirty = true;
  const res = [];
  for (const doc of docs) {
    doc.timeNextVisible = timeNextVisible;
    res.push(this.messageCopy(doc));
    doc.timeNextVisible = visibleTimeInMillisecond;
  }
  return res;
};

Store.prototype.peekMessages = async function peekMessages(account, queue, numOfMessages, queryDate, context) {
  this.checkQueueExist(account, queue, context);
  await this.clearExpiredMessages(account, queue, context);
  const coll = this.db.getCollection(this.MESSAGES_COLLECTION);
  const queryTime = queryDate ? queryDate.getTime() : Date.now();
  const docs = firstVisible(coll, account, queue, queryTime, numOfMessages === undefined ? 1 : numOfMessages);
  const res = [];
  for (const doc of docs) {
    doc.timeNextVisible = new Date(Number(doc.timeNextVisible));
    res.push(this.messageCopy(doc));
    doc.timeNextVisible = doc.timeNextVisible.getTime();
  }
  return res;
};

