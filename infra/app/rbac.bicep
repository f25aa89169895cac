// Every role assignment in one place. The managed identity gets exactly what the Functions host,
// the Durable Task Azure Storage provider and the crawler's own clients need, scoped to the one
// storage account (and the one Application Insights component), nothing at group level.
param storageAccountName string
param applicationInsightsName string
param managedIdentityPrincipalId string
@description('Optional person or CI principal given data access for inspection; empty grants nothing.')
param userPrincipalId string = ''
param userPrincipalType string = 'User'

// Storage Blob Data Owner: the host's AzureWebJobsStorage needs Owner (docs: identity-based host
// storage) for its blob leases (timer singleton lock, host id), Durable's partition lease and
// large-message containers, the crawler's covers/exports blobs and the Flex deployment package.
var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
// Storage Queue Data Contributor: queue triggers read/delete crawl-pages and crawl-playlists, the
// app and the host's poison handling send to them and *-poison, Durable uses control/work-item queues.
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the crawler upserts the Playlists table; Durable keeps entity
// state and history in its Instances/History tables.
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// The optional person (or CI principal) reads the data and changes nothing: the crawl's own identity
// is the only writer. Storage Blob Data Reader: look at covers/ and exports/.
var blobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
// Storage Queue Data Reader: peek at crawl-pages, crawl-playlists and their -poison queues.
var queueDataReader = '19e7f393-937e-4f77-808e-94535e297925'
// Storage Table Data Reader: read the Playlists, CrawlItems and Crawls tables.
var tableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6'
// Monitoring Metrics Publisher: Application Insights has local auth disabled, so the app may only
// send telemetry as this identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING Authorization=AAD).
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource identityBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, managedIdentityPrincipalId, blobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataOwner)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource identityQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, managedIdentityPrincipalId, queueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueDataContributor)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource identityTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, managedIdentityPrincipalId, tableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', tableDataContributor)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource identityMetrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, managedIdentityPrincipalId, metricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// With shared keys off, a person needs data roles even to look at covers or the Playlists table; readers
// only, so a signed-in user (or a leaked CI token) cannot alter the dataset or the crawl's queues.
var userDataRoles = empty(userPrincipalId) ? [] : [
  blobDataReader
  queueDataReader
  tableDataReader
]

resource userData 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in userDataRoles: {
    name: guid(storage.id, userPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: userPrincipalId
      principalType: userPrincipalType
    }
  }
]
