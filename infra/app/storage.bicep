// The storage account behind AzureWebJobsStorage: Functions host state, Durable Task hub, the
// crawl queues, covers/exports blobs, the Playlists, CrawlItems, Crawls and Pacer tables and the Flex deployment package.
// Shared keys are off, so every client (host, Durable, app, deployment) signs in with Entra ID.
param name string
param location string
param tags object
param deploymentContainerName string

// Names from shared/design.md. The app may also create them; declaring them makes a fresh
// deployment complete before the first run and keeps the names visible here.
var blobContainers = [
  deploymentContainerName
  'covers'
  'exports'
]
var queues = [
  'crawl-pages'
  'crawl-playlists'
  'crawl-pages-poison'
  'crawl-playlists-poison'
]
var tables = [
  'Playlists' // the dataset: one entity per category and playlist id
  'CrawlItems' // per crawl: every page and playlist with its state, the fetch-once claims, the crawl's own rows
  'Crawls' // the crawl registry behind GET /api/crawls
  'Pacer' // the shared request schedule: one row per politeness group, so every instance keeps one rate
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    dnsEndpointType: 'Standard'
    // Flex Consumption without a virtual network reaches storage over its public endpoint.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [
      for container in blobContainers: {
        name: container
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queueService 'queueServices' = {
    name: 'default'

    resource crawlQueues 'queues' = [
      for queue in queues: {
        name: queue
      }
    ]
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource crawlTables 'tables' = [
      for table in tables: {
        name: table
      }
    ]
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
