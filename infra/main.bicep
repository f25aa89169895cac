// FunctionsCrawler on Azure (subscription scope): creates the resource group and deploys
// resources.bicep into it. Used by `azd up` (azure.yaml at the repo root, parameters from
// main.parameters.json) and by `az deployment sub create` (see infra/README.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd env name); seeds the unique token in every resource name.')
param environmentName string

@minLength(1)
@description('Region for every resource. It must offer Flex Consumption: az functionapp list-flexconsumption-locations.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group to create or update; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('Optional: object id of a person or CI principal that also gets data access to the storage account (Storage Explorer, reading covers). Empty grants nothing.')
param principalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
])
@description('Kind of principal that principalId names.')
param principalType string = 'User'

@description('Crawler__Categories: comma-separated playlist categories crawled by the timer.')
param crawlerCategories string = '说唱'

@description('Crawler__Schedule: six-field CRON (UTC) of the timer-triggered producer.')
param crawlerSchedule string = '0 0 3 * * *'

@minValue(0)
@description('Crawler__MaxPages: cap on list pages per category; 0 crawls every page.')
param crawlerMaxPages int = 0

@description('NetEase__BaseUrl: root of the site to crawl.')
param netEaseBaseUrl string = 'https://music.163.com'

// A string because the rate may be fractional (0.2 = one request every 5 s); app settings are strings anyway.
@description('NetEase__RequestsPerSecond: politeness limit per site (and for the image CDN), across every instance (the shared pacer).')
param netEaseRequestsPerSecond string = '2'

// Every instance waits its turns on one schedule in Table storage (the Pacer table), so the site sees
// NetEase__RequestsPerSecond however many instances run: scaling out adds workers, not requests.
// Beyond the rate × 12 messages in flight per instance more instances only wait (see infra/README.md).
@minValue(1)
@maxValue(1000)
@description('Flex Consumption maximum instance count per function scale group; the rate at the site does not grow with it.')
param maximumInstanceCount int = 1

@allowed([
  512
  2048
  4096
])
@description('Memory per Flex Consumption instance (MB); billed GB-seconds scale with it. 2048 is the platform default.')
param instanceMemoryMB int = 2048

// The storage firewall. The function app always reaches storage through its VNet-integration subnet; false opens the
// account to every network again (still Entra ID only, no keys) if that path fails you (infra/README.md).
@description('true: storage refuses every network but the function app\'s subnet and storageAllowedIpRanges (defaultAction Deny).')
param restrictStorageNetwork bool = true

@description('Comma-separated public IPv4 addresses or CIDR ranges also let through the storage firewall (e.g. yours, for Storage Explorer); empty lets none.')
param storageAllowedIpRanges string = ''

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : 'rg-${environmentName}'
  location: location
  tags: { 'azd-env-name': environmentName }
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    principalId: principalId
    principalType: principalType
    crawlerCategories: crawlerCategories
    crawlerSchedule: crawlerSchedule
    crawlerMaxPages: crawlerMaxPages
    netEaseBaseUrl: netEaseBaseUrl
    netEaseRequestsPerSecond: netEaseRequestsPerSecond
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    restrictStorageNetwork: restrictStorageNetwork
    storageAllowedIpRanges: storageAllowedIpRanges
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = resources.outputs.AZURE_FUNCTION_NAME
output SERVICE_CRAWLER_NAME string = resources.outputs.AZURE_FUNCTION_NAME
output SERVICE_CRAWLER_URI string = resources.outputs.SERVICE_CRAWLER_URI
output FUNCTION_APP_DEFAULT_HOSTNAME string = resources.outputs.FUNCTION_APP_DEFAULT_HOSTNAME
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.AZURE_STORAGE_ACCOUNT_NAME
output AZURE_STORAGE_BLOB_ENDPOINT string = resources.outputs.AZURE_STORAGE_BLOB_ENDPOINT
output AZURE_STORAGE_QUEUE_ENDPOINT string = resources.outputs.AZURE_STORAGE_QUEUE_ENDPOINT
output AZURE_STORAGE_TABLE_ENDPOINT string = resources.outputs.AZURE_STORAGE_TABLE_ENDPOINT
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = resources.outputs.AZURE_MANAGED_IDENTITY_CLIENT_ID
output APPLICATIONINSIGHTS_CONNECTION_STRING string = resources.outputs.APPLICATIONINSIGHTS_CONNECTION_STRING
