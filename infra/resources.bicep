// Everything the crawler runs on, in one resource group: a Flex Consumption function app
// (src/Functions) that reaches its storage account and Application Insights only through a
// user-assigned managed identity, and the storage account only from the app's own subnet.
// main.bicep calls this; `az deployment group create` can use it
// directly when you may only deploy into an existing group (infra/README.md).
// Parameters are documented in main.bicep.

@minLength(1)
@maxLength(64)
param environmentName string
param location string = resourceGroup().location
param principalId string = ''
@allowed([
  'User'
  'ServicePrincipal'
])
param principalType string = 'User'
param crawlerCategories string = '说唱'
param crawlerSchedule string = '0 0 3 * * *'
@minValue(0)
param crawlerMaxPages int = 0
param netEaseBaseUrl string = 'https://music.163.com'
param netEaseRequestsPerSecond string = '2'
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 1
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048
param restrictStorageNetwork bool = true
param storageAllowedIpRanges string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-crawler-${resourceToken}'
// Flex Consumption pulls the deployed package from this container, authenticated by the deployment identity.
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
// Every other blob container, and the only ones the app's identity may write (rbac.bicep grants each one alone).
var runtimeBlobContainers = [
  'covers' // the crawler: covers/<playlist id>.jpg
  'exports' // the crawler's exports (shared/design.md)
  'azure-webjobs-hosts' // Functions host: host id, singleton locks, timer schedule status
  'azure-webjobs-secrets' // Functions host: function and host keys
  // The Durable task hub (host.json extensions.durableTask.hubName FunctionsCrawler, lower-cased by the Azure
  // Storage provider): partition leases, the app lease, and message payloads too large for a queue.
  'functionscrawler-leases'
  'functionscrawler-applease'
  'functionscrawler-largemessages'
]

module identity 'app/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-crawler-${resourceToken}'
    location: location
    tags: tags
  }
}

// A second identity for the deployment package alone (functionAppConfig.deployment.storage.authentication).
module deploymentIdentity 'app/identity.bicep' = {
  name: 'deploymentIdentity'
  params: {
    name: 'id-crawler-deploy-${resourceToken}'
    location: location
    tags: tags
  }
}

module network 'app/network.bicep' = {
  name: 'network'
  params: {
    name: 'vnet-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    runtimeBlobContainers: runtimeBlobContainers
    appSubnetId: network.outputs.appSubnetId
    restrictNetwork: restrictStorageNetwork
    allowedIpRanges: empty(trim(storageAllowedIpRanges)) ? [] : map(split(storageAllowedIpRanges, ','), range => trim(range))
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    managedIdentityPrincipalId: identity.outputs.principalId
    runtimeBlobContainers: runtimeBlobContainers
    deploymentIdentityPrincipalId: deploymentIdentity.outputs.principalId
    deploymentContainerName: deploymentContainerName
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module functionApp 'app/function.bicep' = {
  name: 'function'
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: 'crawler'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentIdentityId: deploymentIdentity.outputs.id
    virtualNetworkSubnetId: network.outputs.appSubnetId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    crawlerCategories: crawlerCategories
    crawlerSchedule: crawlerSchedule
    crawlerMaxPages: crawlerMaxPages
    netEaseBaseUrl: netEaseBaseUrl
    netEaseRequestsPerSecond: netEaseRequestsPerSecond
  }
  // The host starts as soon as the site exists: let it find its storage roles already granted.
  dependsOn: [
    rbac
  ]
}

module diagnostics 'app/diagnostics.bicep' = {
  name: 'diagnostics'
  params: {
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    functionAppName: functionApp.outputs.name
    storageAccountName: storage.outputs.name
  }
}

output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output SERVICE_CRAWLER_URI string = 'https://${functionApp.outputs.defaultHostName}'
output FUNCTION_APP_DEFAULT_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
