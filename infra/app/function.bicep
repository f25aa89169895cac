// The crawler's function app (src/Functions, .NET 10 isolated) on a Flex Consumption plan.
// Flex Consumption takes the runtime from functionAppConfig, not from FUNCTIONS_WORKER_RUNTIME /
// FUNCTIONS_EXTENSION_VERSION app settings (the platform rejects those), and pulls the code from a
// blob container with a managed identity instead of WEBSITE_RUN_FROM_PACKAGE. Its outbound traffic leaves through
// the VNet-integration subnet (network.bicep), the only network the storage account lets in.
param name string
param planName string
param location string
param tags object
@description('azd service name (azure.yaml) that deploys into this app.')
param serviceName string
@description('The identity the app runs as: storage (AzureWebJobsStorage__*) and telemetry.')
param identityId string
param identityClientId string
@description('The identity the platform writes and reads the deployment package with; the app\'s code never uses it.')
param deploymentIdentityId string
@description('Subnet (delegated to Microsoft.App/environments) the app integrates with.')
param virtualNetworkSubnetId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsName string
param maximumInstanceCount int
param instanceMemoryMB int
param crawlerCategories string
param crawlerSchedule string
param crawlerMaxPages int
param netEaseBaseUrl string
param netEaseRequestsPerSecond string

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    // Flex reads the deployment package with an identity assigned to the app, so both are; the settings below name
    // the first one only.
    userAssignedIdentities: {
      '${identityId}': {}
      '${deploymentIdentityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: virtualNetworkSubnetId
    siteConfig: {
      minTlsVersion: '1.2'
      // No FTP(S) endpoint at all: code arrives only through the deployment container, by identity.
      ftpsState: 'Disabled'
      appSettings: [
        // Host storage by identity: no AccountKey anywhere. The app builds its own Blob/Queue/Table
        // clients from these same settings with a ManagedIdentityCredential(clientId).
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'AzureWebJobsStorage__blobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'AzureWebJobsStorage__queueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'AzureWebJobsStorage__tableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        // Telemetry by identity: the connection string only says where; the identity says who.
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: applicationInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD;ClientId=${identityClientId}'
        }
        // The crawl itself (shared/design.md, "Configuration keys").
        {
          name: 'NetEase__BaseUrl'
          value: netEaseBaseUrl
        }
        {
          name: 'NetEase__RequestsPerSecond'
          value: netEaseRequestsPerSecond
        }
        {
          name: 'Crawler__Categories'
          value: crawlerCategories
        }
        {
          name: 'Crawler__Schedule'
          value: crawlerSchedule
        }
        {
          name: 'Crawler__MaxPages'
          value: string(crawlerMaxPages)
        }
        // The stall check runs every 10 minutes and the retention clean-up daily at 04:30 UTC on the app's own
        // defaults (src/Crawler/Configuration/CrawlSchedules.cs): no schedule setting is needed. An unfinished crawl
        // that has not moved for 10 minutes gets its unfinished work sent again.
        {
          name: 'Crawler__StallSeconds'
          value: '600'
        }
        // Crawls started more than 30 days ago lose their per-crawl rows, status entity and poison messages; the dataset stays.
        {
          name: 'Crawler__RetentionDays'
          value: '30'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          // Not the app's identity: that one cannot write this container (rbac.bicep), so nothing the app's code
          // does with its own identity can replace the code it runs.
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: deploymentIdentityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Basic (user name + password) publishing credentials off for FTP and for SCM (Kudu/zip deploy):
// deploying takes an Entra ID sign-in (azd, az, func publish all use it).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
