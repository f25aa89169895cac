// A user-assigned managed identity. resources.bicep makes two: the one the app runs as (storage, Application
// Insights) and the one the platform writes and reads the deployment package with (functionAppConfig.deployment).
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
