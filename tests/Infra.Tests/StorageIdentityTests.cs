namespace FunctionsCrawler.Infra.Tests;

/// <summary>The function app reaches storage as its managed identity, never with an account key.</summary>
public class StorageIdentityTests
{
    [Fact]
    public void Storage_app_settings_carry_no_account_key()
    {
        var settings = Deployed.AppSettings;

        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        foreach (var (name, raw) in settings)
        {
            var text = Deployed.AsText(raw) + " " + Deployed.ResolvedSetting(name);
            Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys(", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Template_never_reads_storage_account_keys()
    {
        var compiled = BicepCli.BuildMain.Value.StdOut;

        Assert.DoesNotContain("listKeys(", compiled, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listAccountSas(", compiled, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", compiled, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storage_settings_name_the_managed_identity_as_credential()
    {
        Assert.Equal("managedidentity", Deployed.ResolvedSetting("AzureWebJobsStorage__credential"));
        Assert.True(
            Deployed.ReadsIdentity(Deployed.ResolvedSetting("AzureWebJobsStorage__clientId"), "clientId"),
            "AzureWebJobsStorage__clientId must be the user-assigned identity's client id");
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "blob")]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "queue")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "table")]
    public void Storage_settings_give_each_service_endpoint_of_the_crawler_account(string setting, string service)
    {
        var value = Deployed.ResolvedSetting(setting);

        Assert.NotNull(value);
        Assert.Contains($".primaryEndpoints.{service}", value, StringComparison.Ordinal);
        Assert.Contains("'Microsoft.Storage/storageAccounts'", value, StringComparison.Ordinal);
        var raw = Deployed.AsText(Deployed.AppSettings[setting])!;
        var (account, scope) = Deployed.ResolveOnlyParameterIn(raw, Deployed.FunctionApp.Scope);
        Assert.True(
            Deployed.NamesResource(account, scope, Deployed.StorageAccount),
            $"{setting} must point at the storage account the template creates, got {account}");
    }

    [Fact]
    public void Function_app_holds_the_two_user_assigned_identities_only()
    {
        var app = Deployed.FunctionApp;

        Assert.Equal("UserAssigned", app.GetString("identity.type"));
        var identities = app.Node["identity"]!["userAssignedIdentities"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(2, identities.Count);
        Assert.Single(identities, key => Deployed.ReadsIdentity(Deployed.ResolveParametersIn(key, app.Scope), "id"));
        Assert.Single(identities, key => Deployed.ReadsDeploymentIdentity(Deployed.ResolveParametersIn(key, app.Scope), "id"));
        Assert.Equal(2, Deployed.Template.OfType("Microsoft.ManagedIdentity/userAssignedIdentities").Count());
    }

    [Fact]
    public void Storage_settings_never_name_the_deployment_identity()
    {
        foreach (var (name, _) in Deployed.AppSettings)
        {
            Assert.False(Deployed.ReadsDeploymentIdentity(Deployed.ResolvedSetting(name), "clientId"),
                $"{name} hands the app the deployment identity, which may write the app's own code");
        }
    }
}
