// Azure list prices the cost figures assume (USD; pay-as-you-go, US East, checked against the public
// pricing pages' shape, not a quote: check them before you rely on them). Edit here to re-price.
export const prices = {
  currency: 'USD',
  storage: {
    // Standard general-purpose v2, LRS, hot tier, per 10,000 operations.
    blobWrite: 0.055, // PutBlob, PutBlock, PutBlockList, AppendBlock
    blobRead: 0.0044, // GetBlob
    blobListCreate: 0.055, // ListBlobs, ListContainers, CreateContainer
    blobOther: 0.0044, // GetBlobProperties, LeaseBlob, SetBlobMetadata, GetContainerProperties, LeaseContainer, …
    blobDelete: 0, // DeleteBlob and DeleteContainer are free on GPv2
    queue: 0.004, // every queue operation (class 1 and class 2 priced alike for GPv2 LRS)
    table: 0.00036, // every table operation; an entity-group ($batch) transaction counts once
  },
  functions: {
    // Flex Consumption, on-demand: instance memory × seconds the instance is executing, plus executions.
    gbSecond: 0.000026,
    perMillionExecutions: 0.4,
    instanceMemoryGB: 2, // the default instance size (2,048 MB)
    freeGbSecondsPerMonth: 100_000,
    freeExecutionsPerMonth: 250_000,
  },
};

/** The price category of one counted storage operation. */
export function priceCategory(service, op) {
  if (service === 'queue') return 'queue';
  if (service === 'table') return 'table';
  if (/^(PutBlob|PutBlock|PutBlockList|AppendBlock)$/.test(op)) return 'blobWrite';
  if (op === 'GetBlob') return 'blobRead';
  if (/^(ListBlobs|ListContainers|CreateContainer)$/.test(op)) return 'blobListCreate';
  if (/^(DeleteBlob|DeleteContainer)$/.test(op)) return 'blobDelete';
  return 'blobOther';
}
