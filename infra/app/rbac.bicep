// Every role assignment in one place. The app's identity gets exactly what the Functions host, the Durable Task
// Azure Storage provider and the crawler's own clients need: blob writes container by container (never the
// deployment package), queues and tables on the one storage account, telemetry on the one Application Insights
// component; nothing at group level. The deployment identity gets the deployment container and nothing else.
param storageAccountName string
param applicationInsightsName string
param managedIdentityPrincipalId string
@description('Every blob container the app writes (resources.bicep: runtimeBlobContainers).')
param runtimeBlobContainers array
@description('Identity the platform uploads and reads the deployment package with (functionAppConfig.deployment).')
param deploymentIdentityPrincipalId string
param deploymentContainerName string
@description('Optional person or CI principal given data access for inspection; empty grants nothing.')
param userPrincipalId string = ''
param userPrincipalType string = 'User'

// Storage Blob Data Contributor, on each container alone: read, write, delete and lease blobs there. The app's
// identity holds it on covers and exports (the crawler), azure-webjobs-hosts (timer schedule, singleton locks, host
// id) and azure-webjobs-secrets (function keys), and the Durable task hub's -leases, -applease and -largemessages.
// The deployment identity holds it on the deployment container only, which the app's identity cannot write.
var blobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
// Storage Queue Data Contributor: queue triggers read/delete crawl-pages and crawl-playlists, the
// app and the host's poison handling send to them and *-poison, Durable uses control/work-item queues.
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
// Storage Table Data Contributor: the crawler upserts the Playlists table; Durable keeps entity
// state and history in its Instances/History tables.
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Storage Blob Data Reader, on the account: list containers and read any blob, write none. The app's identity holds
// it for what the host reads account-wide (it lists the account's containers); the optional person holds it to look
// at covers/ and exports/.
var blobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
// The optional person (or CI principal) reads the data and changes nothing: the crawl's own identity
// is the only writer. Storage Queue Data Reader: peek at crawl-pages, crawl-playlists and their -poison queues.
var queueDataReader = '19e7f393-937e-4f77-808e-94535e297925'
// Storage Table Data Reader: read the Playlists, CrawlItems and Crawls tables.
var tableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6'
// Monitoring Metrics Publisher: Application Insights has local auth disabled, so the app may only
// send telemetry as this identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING Authorization=AAD).
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deploymentContainer 'containers' existing = {
      name: deploymentContainerName
    }
  }
}

resource runtimeContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for container in runtimeBlobContainers: {
    parent: storage::blobService
    name: container
  }
]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource identityBlobContainers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in runtimeBlobContainers: {
    name: guid(runtimeContainers[i].id, managedIdentityPrincipalId, blobDataContributor)
    scope: runtimeContainers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
      principalId: managedIdentityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource identityBlobRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, managedIdentityPrincipalId, blobDataReader)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataReader)
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

resource deploymentPackage 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deploymentContainer.id, deploymentIdentityPrincipalId, blobDataContributor)
  scope: storage::blobService::deploymentContainer
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributor)
    principalId: deploymentIdentityPrincipalId
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
