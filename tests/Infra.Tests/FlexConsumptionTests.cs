using System.Text.Json.Nodes;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>The app runs src/Functions (.NET 10 isolated) on Flex Consumption, deployed by identity.</summary>
public class FlexConsumptionTests
{
    [Fact]
    public void Plan_is_flex_consumption_on_linux()
    {
        var plan = Deployed.Plan;

        Assert.Equal("FlexConsumption", plan.GetString("sku.tier"));
        Assert.Equal("FC1", plan.GetString("sku.name"));
        Assert.Equal("true", plan.GetString("properties.reserved"));
        Assert.Contains("'Microsoft.Web/serverfarms'", Deployed.FunctionApp.GetString("properties.serverFarmId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10()
    {
        var app = Deployed.FunctionApp;

        Assert.Equal("functionapp,linux", app.GetString("kind"));
        Assert.Equal("dotnet-isolated", app.GetString("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", app.GetString("properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Deployment_package_container_is_read_with_the_deployment_identity()
    {
        var app = Deployed.FunctionApp;
        const string storage = "properties.functionAppConfig.deployment.storage";

        Assert.Equal("blobContainer", app.GetString($"{storage}.type"));
        Assert.Equal("UserAssignedIdentity", app.GetString($"{storage}.authentication.type"));
        var identity = app.GetString($"{storage}.authentication.userAssignedIdentityResourceId");
        Assert.True(Deployed.ReadsDeploymentIdentity(identity, "id"),
            $"The deployment container must be read by the template's deployment identity, got {identity}");
        Assert.False(Deployed.ReadsIdentity(identity, "id"), "The app's own identity must not be the one that deploys it");
        var url = app.GetString($"{storage}.value");
        Assert.Contains(".primaryEndpoints.blob", url, StringComparison.Ordinal);
        Assert.Contains("parameters('deploymentContainerName')", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_package_container_is_created_in_the_storage_account()
    {
        var app = Deployed.FunctionApp;
        var storage = Deployed.StorageAccount.Scope;
        var usedByApp = app.Scope.Resolve(JsonValue.Create("[parameters('deploymentContainerName')]"));
        var createdInStorage = storage.Resolve(JsonValue.Create("[parameters('deploymentContainerName')]"));

        Assert.Same(usedByApp.Scope, createdInStorage.Scope);
        Assert.Equal(Deployed.AsText(usedByApp.Value), Deployed.AsText(createdInStorage.Value));
        Assert.Single(Deployed.Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"),
            c => c.Scope == storage && (Deployed.AsText(c.Node["name"]) ?? "").Contains("parameters('deploymentContainerName')", StringComparison.Ordinal));
    }

    [Fact]
    public void Scale_out_is_capped_small_by_default_for_politeness()
    {
        var app = Deployed.FunctionApp;
        var parameter = app.Scope.RootParameter(
            app.Node["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!["maximumInstanceCount"]);

        Assert.NotNull(parameter);
        var declared = Deployed.Template.Root.Parameters[parameter]!;
        var defaultCount = declared["defaultValue"]!.GetValue<int>();
        Assert.InRange(defaultCount, 1, 2);
        Assert.Equal(1, declared["minValue"]!.GetValue<int>());
    }

    [Fact]
    public void Function_app_is_tagged_as_the_azd_crawler_service()
    {
        var app = Deployed.FunctionApp;
        var tags = app.GetString("tags");

        Assert.Contains("'azd-service-name'", tags, StringComparison.Ordinal);
        Assert.Equal("crawler", Deployed.ResolveParametersIn("parameters('serviceName')", app.Scope));
        Assert.Contains("crawler", AzureYaml.Read().Services);
    }
}
