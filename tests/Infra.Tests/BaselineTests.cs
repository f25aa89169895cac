using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>The baseline beyond keyless access: storage refuses every network but the app's subnet, the app and
/// storage write resource logs to Log Analytics, deleted or overwritten blobs can be recovered, and the app's identity
/// writes only its own containers while a separate identity writes the deployment package.</summary>
public partial class BaselineTests
{
    private const string Containers = "Microsoft.Storage/storageAccounts/blobServices/containers";

    // --- network -----------------------------------------------------------------------------------------------

    [Fact]
    public void Storage_refuses_every_network_by_default()
    {
        var storage = Deployed.StorageAccount;
        var raw = Deployed.AsText(storage.Node["properties"]!["networkAcls"]!["defaultAction"]);
        var choice = ParameterChoice().Match(raw ?? "");

        Assert.True(choice.Success, $"defaultAction must be Deny unless a parameter says otherwise, got {raw}");
        Assert.Equal(("Deny", "Allow"), (choice.Groups[2].Value, choice.Groups[3].Value));
        var parameter = storage.Scope.RootParameter(JsonValue.Create($"[parameters('{choice.Groups[1].Value}')]"));
        Assert.Equal("restrictStorageNetwork", parameter);
        var declared = Deployed.Template.Root.Parameters["restrictStorageNetwork"]!;
        Assert.True(declared["defaultValue"]!.GetValue<bool>(), "restrictStorageNetwork must default to true");
        Assert.False(string.IsNullOrWhiteSpace(Deployed.AsText(declared["metadata"]?["description"])));
        Assert.Equal("${RESTRICT_STORAGE_NETWORK=true}", ParametersFile()["restrictStorageNetwork"]?["value"]?.GetValue<string>());
    }

    [Fact]
    public void Storage_keeps_trusted_azure_services_and_its_public_endpoint_for_the_firewall_rules()
    {
        var storage = Deployed.StorageAccount;

        Assert.Equal("AzureServices", storage.GetString("properties.networkAcls.bypass"));
        // Virtual network and IP rules belong to the public endpoint: 'Disabled' would drop them too.
        Assert.Equal("Enabled", storage.GetString("properties.publicNetworkAccess"));
    }

    [Fact]
    public void Storage_lets_in_the_subnet_the_function_app_is_integrated_with()
    {
        var rule = Assert.Single(Assert.IsType<JsonArray>(Deployed.StorageAccount.Get("properties.networkAcls.virtualNetworkRules")));
        Assert.Equal("Allow", Deployed.AsText(rule!["action"]));
        var subnetForStorage = Deployed.StorageAccount.Scope.Resolve(rule["id"]);

        var app = Deployed.FunctionApp;
        var subnetForApp = app.Scope.Resolve(app.Node["properties"]!["virtualNetworkSubnetId"]);

        Assert.Same(subnetForStorage.Scope, subnetForApp.Scope);
        Assert.Equal(Deployed.AsText(subnetForApp.Value), Deployed.AsText(subnetForStorage.Value));
        Assert.True(ArmTemplate.ReadsModuleOutput(Deployed.AsText(subnetForApp.Value), Deployed.VirtualNetwork.Scope.DeploymentName, "appSubnetId"),
            $"The app must integrate with the template's subnet, got {Deployed.AsText(subnetForApp.Value)}");
    }

    [Fact]
    public void App_subnet_is_delegated_to_flex_consumption_and_carries_the_storage_service_endpoint()
    {
        var vnet = Deployed.VirtualNetwork;
        var output = Deployed.AsText(vnet.Scope.Outputs["appSubnetId"]?["value"]) ?? "";
        Assert.Contains("'Microsoft.Network/virtualNetworks/subnets', parameters('name')", output, StringComparison.Ordinal);
        var subnetName = Deployed.AsText(vnet.Scope.Resolve(JsonValue.Create($"[{SubnetNameIn().Match(output).Groups[1].Value}]")).Value);

        var subnet = Assert.Single(Assert.IsType<JsonArray>(vnet.Get("properties.subnets")).OfType<JsonObject>(),
            s => Deployed.AsText(vnet.Scope.Resolve(s["name"]).Value) == subnetName);
        var delegation = Assert.Single(subnet["properties"]!["delegations"]!.AsArray());
        Assert.Equal("Microsoft.App/environments", Deployed.AsText(delegation!["properties"]!["serviceName"]));
        var endpoint = Assert.Single(subnet["properties"]!["serviceEndpoints"]!.AsArray());
        Assert.Equal("Microsoft.Storage", Deployed.AsText(endpoint!["service"]));
        Assert.Equal("[parameters('location')]", Deployed.AsText(endpoint["locations"]!.AsArray().Single()));
    }

    [Fact]
    public void Storage_lets_in_no_address_unless_one_is_given()
    {
        var declared = Deployed.Template.Root.Parameters["storageAllowedIpRanges"]!;

        Assert.Equal("", Deployed.AsText(declared["defaultValue"]));
        Assert.Equal("${STORAGE_ALLOWED_IP_RANGES}", ParametersFile()["storageAllowedIpRanges"]?["value"]?.GetValue<string>());
        var ipRules = Deployed.StorageAccount.Node["properties"]!["networkAcls"]!["copy"]!.AsArray().Single();
        Assert.Equal("ipRules", Deployed.AsText(ipRules!["name"]));
        Assert.Equal("[length(parameters('allowedIpRanges'))]", Deployed.AsText(ipRules["count"]));
        Assert.Equal("Allow", Deployed.AsText(ipRules["input"]!["action"]));
    }

    // --- diagnostic settings -------------------------------------------------------------------------------------

    [Fact]
    public void Function_app_sends_its_logs_to_the_log_analytics_workspace()
    {
        var setting = DiagnosticSettingOn("'Microsoft.Web/sites'");

        Assert.True(Deployed.NamesResource(ScopeArgument(setting).Value, ScopeArgument(setting).Scope, Deployed.FunctionApp),
            "The function app's diagnostic setting must be on the function app the template creates");
        Assert.Contains("FunctionAppLogs", EnabledCategories(setting, "logs"));
        AssertSendsToTheWorkspace(setting);
    }

    [Theory]
    [InlineData("blobServices")]
    [InlineData("queueServices")]
    [InlineData("tableServices")]
    public void Storage_service_logs_reads_writes_deletes_and_transactions_to_the_workspace(string service)
    {
        var setting = DiagnosticSettingOn($"'Microsoft.Storage/storageAccounts/{service}'");

        Assert.True(Deployed.NamesResource(ScopeArgument(setting).Value, ScopeArgument(setting).Scope, Deployed.StorageAccount),
            $"The {service} diagnostic setting must be on the storage account the template creates");
        Assert.Equal(["StorageDelete", "StorageRead", "StorageWrite"], EnabledCategories(setting, "logs").Order(StringComparer.Ordinal));
        Assert.Contains("Transaction", EnabledCategories(setting, "metrics"));
        AssertSendsToTheWorkspace(setting);
    }

    [Fact]
    public void Logs_go_to_the_one_workspace_application_insights_uses()
    {
        Assert.Single(Deployed.Template.OfType("Microsoft.OperationalInsights/workspaces"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", Deployed.ApplicationInsights.GetString("properties.WorkspaceResourceId"), StringComparison.Ordinal);
    }

    // --- blob data protection ------------------------------------------------------------------------------------

    [Fact]
    public void Deleted_blobs_and_containers_are_kept_and_overwrites_keep_the_previous_version()
    {
        var blobService = Deployed.Template.Single("Microsoft.Storage/storageAccounts/blobServices");

        Assert.Equal("true", blobService.GetString("properties.deleteRetentionPolicy.enabled"));
        Assert.InRange(int.Parse(blobService.GetString("properties.deleteRetentionPolicy.days")!), 7, 365);
        Assert.Equal("true", blobService.GetString("properties.containerDeleteRetentionPolicy.enabled"));
        Assert.InRange(int.Parse(blobService.GetString("properties.containerDeleteRetentionPolicy.days")!), 7, 365);
        Assert.Equal("true", blobService.GetString("properties.isVersioningEnabled"));
    }

    [Fact]
    public void Previous_versions_expire_so_versioning_does_not_grow_the_account_without_bound()
    {
        var policy = Deployed.Template.Single("Microsoft.Storage/storageAccounts/managementPolicies");
        var rule = Assert.Single(Assert.IsType<JsonArray>(policy.Get("properties.policy.rules")));
        var days = Deployed.AsText(policy.Scope.Resolve(rule!["definition"]!["actions"]!["version"]!["delete"]!["daysAfterCreationGreaterThan"]).Value);

        Assert.Equal("true", Deployed.AsText(rule["enabled"]));
        Assert.InRange(int.Parse(days!), 7, 365);
    }

    // --- who writes which container ------------------------------------------------------------------------------

    [Fact]
    public void App_identity_is_no_blob_owner_anywhere_and_writes_blobs_only_container_by_container()
    {
        var assignments = RoleAssignmentTests.IdentityAssignments();

        Assert.DoesNotContain(assignments, a => RoleAssignmentTests.RoleOf(a) == RoleAssignmentTests.BlobDataOwner);
        var writes = Assert.Single(assignments, a => RoleAssignmentTests.RoleOf(a) == RoleAssignmentTests.BlobDataContributor);
        var scope = Deployed.AsText(writes.Node["scope"]) ?? "";
        Assert.Contains($"'{Containers}'", scope, StringComparison.Ordinal);
        Assert.Contains("parameters('runtimeBlobContainers')[copyIndex()]", scope, StringComparison.Ordinal);
        Assert.Equal("[length(parameters('runtimeBlobContainers'))]", Deployed.AsText(writes.Node["copy"]?["count"]));
        AssertAccountIsTheStorageAccount(writes);
    }

    [Fact]
    public void App_identity_writes_exactly_the_containers_the_storage_account_declares_for_it()
    {
        var writes = Assert.Single(RoleAssignmentTests.IdentityAssignments(), a => RoleAssignmentTests.RoleOf(a) == RoleAssignmentTests.BlobDataContributor);
        var granted = writes.Scope.Resolve(JsonValue.Create("[parameters('runtimeBlobContainers')]"));
        var declared = Deployed.StorageAccount.Scope.Resolve(JsonValue.Create("[parameters('runtimeBlobContainers')]"));

        Assert.Same(granted.Scope, declared.Scope); // one list, in resources.bicep
        Assert.Equal(Deployed.AsText(granted.Value), Deployed.AsText(declared.Value));
        Assert.Equal(RuntimeContainers(), Deployed.DeclaredNames(Containers).Where(n => !n.Contains("deploymentContainerName", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("covers")] // CoverStore
    [InlineData("exports")]
    [InlineData("azure-webjobs-hosts")] // host id, singleton locks, timer status
    [InlineData("azure-webjobs-secrets")] // function keys
    public void App_identity_writes_the_containers_the_crawler_and_the_host_use(string container)
    {
        Assert.Contains(container, RuntimeContainers());
    }

    [Theory]
    [InlineData("leases")]
    [InlineData("applease")]
    [InlineData("largemessages")]
    public void App_identity_writes_the_durable_task_hubs_containers_named_from_host_json(string suffix)
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(RepoRoot.File("host.json")))!;
        var hub = hostJson["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>();

        Assert.Contains($"{hub.ToLowerInvariant()}-{suffix}", RuntimeContainers());
    }

    [Fact]
    public void App_identity_may_not_write_the_deployment_container()
    {
        Assert.DoesNotContain(RuntimeContainers(), c => c.StartsWith("app-package", StringComparison.Ordinal));
        foreach (var assignment in RoleAssignmentTests.IdentityAssignments())
        {
            Assert.DoesNotContain("deploymentContainerName", Deployed.AsText(assignment.Node["scope"]) ?? "", StringComparison.Ordinal);
            // Account-wide, it may read (the container listing, the service's properties) and write nothing.
            if (!(Deployed.AsText(assignment.Node["scope"]) ?? "").Contains($"'{Containers}'", StringComparison.Ordinal))
            {
                Assert.NotEqual(RoleAssignmentTests.BlobDataContributor, RoleAssignmentTests.RoleOf(assignment));
            }
        }
    }

    [Fact]
    public void Deployment_identity_writes_the_deployment_container_and_nothing_else()
    {
        var assignment = Assert.Single(Deployed.Template.OfType("Microsoft.Authorization/roleAssignments"),
            a => Deployed.ReadsDeploymentIdentity(Deployed.AsText(a.Get("properties.principalId")), "principalId"));
        var scope = Deployed.AsText(assignment.Node["scope"]) ?? "";

        Assert.Equal(RoleAssignmentTests.BlobDataContributor, RoleAssignmentTests.RoleOf(assignment));
        Assert.Contains($"'{Containers}'", scope, StringComparison.Ordinal);
        Assert.EndsWith("'default', parameters('deploymentContainerName'))]", scope, StringComparison.Ordinal);
        AssertAccountIsTheStorageAccount(assignment);
        var granted = assignment.Scope.Resolve(JsonValue.Create("[parameters('deploymentContainerName')]"));
        var usedByApp = Deployed.FunctionApp.Scope.Resolve(JsonValue.Create("[parameters('deploymentContainerName')]"));
        Assert.Same(usedByApp.Scope, granted.Scope);
        Assert.Equal(Deployed.AsText(usedByApp.Value), Deployed.AsText(granted.Value));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static List<string> RuntimeContainers()
    {
        var storage = Deployed.StorageAccount.Scope;
        var list = Assert.IsType<JsonArray>(storage.Resolve(JsonValue.Create("[parameters('runtimeBlobContainers')]")).Value);
        return list.Select(Deployed.AsText).Select(n => n!).ToList();
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(RepoRoot.File("infra", "main.parameters.json")))!["parameters"]!.AsObject();

    private static ArmResource DiagnosticSettingOn(string scopeType) =>
        Assert.Single(Deployed.Template.OfType("Microsoft.Insights/diagnosticSettings"),
            d => (Deployed.AsText(d.Node["scope"]) ?? "").StartsWith($"[resourceId({scopeType}, ", StringComparison.Ordinal));

    /// <summary>The resource name a diagnostic setting's scope passes to resourceId, resolved.</summary>
    private static (string? Value, ArmScope Scope) ScopeArgument(ArmResource setting)
    {
        var scope = Deployed.AsText(setting.Node["scope"]) ?? "";
        var name = FirstParameter().Match(scope);
        Assert.True(name.Success, $"Expected resourceId(type, parameters('x'), …), got {scope}");
        return Deployed.ResolveParameter(name.Groups[1].Value, setting.Scope);
    }

    private static List<string> EnabledCategories(ArmResource setting, string kind) =>
        (setting.Get($"properties.{kind}") as JsonArray ?? [])
        .OfType<JsonObject>()
        .Where(c => Deployed.AsText(c["enabled"]) == "true")
        .Select(c => Deployed.AsText(c["category"])!)
        .ToList();

    private static void AssertSendsToTheWorkspace(ArmResource setting)
    {
        var (workspace, _) = Deployed.ResolveParameter("logAnalyticsWorkspaceId", setting.Scope);
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", Deployed.AsText(setting.Node["properties"]!["workspaceId"]));
        Assert.True(ArmTemplate.ReadsModuleOutput(workspace, Deployed.LogAnalytics.Scope.DeploymentName, "logAnalyticsWorkspaceId"),
            $"Diagnostic settings must send to the template's workspace, got {workspace}");
        Assert.Contains("'Microsoft.OperationalInsights/workspaces', parameters('logAnalyticsName')",
            Deployed.AsText(Deployed.LogAnalytics.Scope.Outputs["logAnalyticsWorkspaceId"]?["value"]), StringComparison.Ordinal);
    }

    private static void AssertAccountIsTheStorageAccount(ArmResource assignment)
    {
        var scope = Deployed.AsText(assignment.Node["scope"]) ?? "";
        var account = FirstParameter().Match(scope);
        Assert.Equal("storageAccountName", account.Groups[1].Value);
        var (name, at) = Deployed.ResolveParameter("storageAccountName", assignment.Scope);
        Assert.True(Deployed.NamesResource(name, at, Deployed.StorageAccount), $"The container must be in the template's storage account, got {name}");
    }

    [GeneratedRegex(@"^\[if\(parameters\('([^']+)'\), '([^']+)', '([^']+)'\)\]$")]
    private static partial Regex ParameterChoice();

    [GeneratedRegex(@"^\[resourceId\('[^']+', parameters\('([^']+)'\)")]
    private static partial Regex FirstParameter();

    [GeneratedRegex(@"(variables\('[^']+'\))\)\]$")]
    private static partial Regex SubnetNameIn();
}
