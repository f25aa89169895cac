// The storage account behind AzureWebJobsStorage: Functions host state, Durable Task hub, the
// crawl queues, covers/exports blobs, the Playlists, CrawlItems, Crawls and Pacer tables and the Flex deployment package.
// Shared keys are off, so every client (host, Durable, app, deployment) signs in with Entra ID.
// Reachable only from the function app's subnet (and any address in allowedIpRanges) unless restrictNetwork is false.
param name string
param location string
param tags object
@description('The Flex deployment-package container: written by the deployment identity only (rbac.bicep).')
param deploymentContainerName string
@description('Every other blob container: the crawler\'s, the Functions host\'s and the Durable task hub\'s (resources.bicep).')
param runtimeBlobContainers array
@description('The function app\'s VNet-integration subnet (it has the Microsoft.Storage service endpoint).')
param appSubnetId string
@description('true: refuse every network but the app\'s subnet and allowedIpRanges (defaultAction Deny). false: accept any network (still Entra ID only).')
param restrictNetwork bool
@description('Public IPv4 addresses or CIDR ranges also let through the firewall (a person\'s Storage Explorer, say).')
param allowedIpRanges array

// Blob data protection: a deleted blob or container can be restored for 7 days, and every overwrite keeps the
// previous version (isVersioningEnabled). Previous versions written more than 30 days ago are removed
// (managementPolicies below), so versioning cannot grow the account without bound: covers, timer and lease blobs are
// rewritten often.
var softDeleteDays = 7
var previousVersionDays = 30

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
    // The public endpoint stays on, behind the firewall below: virtual network (service endpoint) and IP rules are
    // rules of the public endpoint ('Disabled' would leave private endpoints only).
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: restrictNetwork ? 'Deny' : 'Allow'
      // Trusted Azure services (Azure Monitor among them) keep their access; the function app is not one of them,
      // it comes in through its subnet.
      bypass: 'AzureServices'
      virtualNetworkRules: [
        {
          id: appSubnetId
          action: 'Allow'
        }
      ]
      ipRules: [
        for range in allowedIpRanges: {
          value: range
          action: 'Allow'
        }
      ]
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'
    properties: {
      deleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
      isVersioningEnabled: true
    }

    // Flex Consumption pulls the deployed package from here; only the deployment identity may write it.
    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }

    // Declared so that a fresh deployment is complete before the first run and so that the app's identity can be
    // granted each container alone (a role can only be scoped to a container that exists).
    resource containers 'containers' = [
      for container in runtimeBlobContainers: {
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

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-previous-versions'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
              }
              actions: {
                version: {
                  delete: {
                    daysAfterCreationGreaterThan: previousVersionDays
                  }
                }
              }
            }
          }
        ]
      }
    }
    // The policy acts on versions, so it comes after versioning is on.
    dependsOn: [
      blobService
    ]
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
