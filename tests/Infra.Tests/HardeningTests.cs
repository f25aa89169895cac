namespace FunctionsCrawler.Infra.Tests;

/// <summary>Transport and exposure settings on the storage account and the function app.</summary>
public class HardeningTests
{
    [Theory]
    [InlineData("allowSharedKeyAccess", "false")]
    [InlineData("allowBlobPublicAccess", "false")]
    [InlineData("minimumTlsVersion", "TLS1_2")]
    [InlineData("supportsHttpsTrafficOnly", "true")]
    public void Storage_account_refuses_keys_public_blobs_and_old_tls(string property, string expected)
    {
        Assert.Equal(expected, Deployed.StorageAccount.GetString($"properties.{property}"));
    }

    [Fact]
    public void Blob_containers_are_private()
    {
        var containers = Deployed.Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();

        Assert.NotEmpty(containers);
        Assert.All(containers, c => Assert.Equal("None", c.GetString("properties.publicAccess")));
    }

    [Fact]
    public void Function_app_serves_https_only_with_tls_1_2()
    {
        var app = Deployed.FunctionApp;

        Assert.Equal("true", app.GetString("properties.httpsOnly"));
        Assert.Equal("1.2", app.GetString("properties.siteConfig.minTlsVersion"));
    }

    [Fact]
    public void Function_app_has_no_ftp_endpoint()
    {
        Assert.Equal("Disabled", Deployed.FunctionApp.GetString("properties.siteConfig.ftpsState"));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void Basic_publishing_credentials_are_off(string endpoint)
    {
        var policy = Assert.Single(Deployed.Template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies"),
            p => (Deployed.AsText(p.Node["name"]) ?? "").EndsWith($"'{endpoint}')]", StringComparison.Ordinal)
                 || (Deployed.AsText(p.Node["name"]) ?? "").EndsWith($"/{endpoint}", StringComparison.Ordinal));

        Assert.Equal("false", policy.GetString("properties.allow"));
        Assert.Contains("parameters('name')", Deployed.AsText(policy.Node["name"]), StringComparison.Ordinal); // the function app's own
    }

    [Fact]
    public void Application_insights_accepts_only_identity_authenticated_telemetry()
    {
        var insights = Deployed.ApplicationInsights;

        Assert.Equal("true", insights.GetString("properties.DisableLocalAuth"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.GetString("properties.WorkspaceResourceId"), StringComparison.Ordinal);
        Assert.Single(Deployed.Template.OfType("Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void Telemetry_settings_authenticate_as_the_managed_identity()
    {
        var authentication = Deployed.AsText(Deployed.AppSettings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        var connection = Deployed.ResolvedSetting("APPLICATIONINSIGHTS_CONNECTION_STRING");

        Assert.NotNull(authentication);
        Assert.Contains("Authorization=AAD;ClientId=", authentication, StringComparison.Ordinal);
        Assert.True(
            Deployed.ReadsIdentity(Deployed.ResolveParametersIn(authentication, Deployed.FunctionApp.Scope), "clientId"),
            $"The ClientId in APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be the managed identity's, got {authentication}");
        Assert.Contains("'Microsoft.Insights/components'", connection, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", connection, StringComparison.Ordinal);
        Assert.DoesNotContain("InstrumentationKey=", connection, StringComparison.Ordinal);
    }
}
