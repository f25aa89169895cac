// The virtual network the function app sends its outbound traffic through (Flex Consumption VNet integration),
// so that the storage account can refuse every other network (storage.bicep: networkAcls defaultAction Deny with
// a virtual network rule for this subnet).
// - Flex Consumption integrates with a subnet delegated to Microsoft.App/environments (not Microsoft.Web/serverFarms);
//   the subscription needs the Microsoft.App resource provider registered (infra/README.md).
// - The Microsoft.Storage service endpoint on the subnet makes the app's calls to the account (in this region) arrive
//   as coming from this subnet, which is what the storage account's virtual network rule matches.
param name string
param location string
param tags object

// One subnet, used by the function app alone. Flex Consumption takes an address per instance it runs in the subnet;
// a /24 leaves room for maximumInstanceCount far above the default of 1.
var addressPrefix = '10.0.0.0/16'
var appSubnetName = 'app'
var appSubnetPrefix = '10.0.1.0/24'

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        name: appSubnetName
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
          serviceEndpoints: [
            {
              service: 'Microsoft.Storage'
              locations: [
                location
              ]
            }
          ]
        }
      }
    ]
  }

  resource appSubnet 'subnets' existing = {
    name: appSubnetName
  }
}

output name string = vnet.name
output appSubnetId string = vnet::appSubnet.id
