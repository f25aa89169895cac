using System.Text.RegularExpressions;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>The managed identity holds exactly the data roles the host, Durable Task (Azure Storage
/// provider) and the crawler need, each scoped to one resource (its blob writes to one container each:
/// <see cref="BaselineTests"/>).</summary>
public partial class RoleAssignmentTests
{
    private static readonly Dictionary<string, string> Roles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] = "Storage Blob Data Reader",
        ["19e7f393-937e-4f77-808e-94535e297925"] = "Storage Queue Data Reader",
        ["76199698-9eea-4c19-bc75-cec21354c6b6"] = "Storage Table Data Reader",
    };

    internal const string BlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    internal const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";

    // Each assignment once, the container-scoped Storage Blob Data Contributor once per container.
    private static readonly string[] IdentityRoles =
    [
        BlobDataContributor, "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "3913510d-42f4-4e42-8a64-420c390055eb",
    ];

    [Theory]
    [InlineData("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")] // Storage Blob Data Reader (reads only; writes are per container)
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88")] // Storage Queue Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3")] // Storage Table Data Contributor
    public void Managed_identity_holds_storage_data_role_on_the_storage_account(string roleId)
    {
        var assignment = Assert.Single(IdentityAssignments(), a => RoleOf(a) == roleId);

        AssertScopedTo(assignment, "Microsoft.Storage/storageAccounts", Deployed.StorageAccount);
        Assert.Equal("ServicePrincipal", assignment.GetString("properties.principalType"));
    }

    [Fact]
    public void Managed_identity_publishes_telemetry_as_monitoring_metrics_publisher_on_app_insights()
    {
        var assignment = Assert.Single(IdentityAssignments(), a => RoleOf(a) == "3913510d-42f4-4e42-8a64-420c390055eb");

        AssertScopedTo(assignment, "Microsoft.Insights/components", Deployed.ApplicationInsights);
        Assert.Equal("ServicePrincipal", assignment.GetString("properties.principalType"));
    }

    [Fact]
    public void Managed_identity_holds_no_role_beyond_the_five_it_needs()
    {
        var roles = IdentityAssignments().Select(RoleOf).ToList();

        Assert.Equal(IdentityRoles.Order(StringComparer.OrdinalIgnoreCase), roles.Order(StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void Deployment_identity_holds_one_role()
    {
        var assignment = Assert.Single(Deployed.Template.OfType("Microsoft.Authorization/roleAssignments"),
            a => Deployed.ReadsDeploymentIdentity(Deployed.AsText(a.Get("properties.principalId")), "principalId"));

        Assert.Equal(BlobDataContributor, RoleOf(assignment));
        Assert.Equal("ServicePrincipal", assignment.GetString("properties.principalType"));
    }

    [Fact]
    public void The_optional_person_gets_only_the_three_data_reader_roles_on_the_storage_account()
    {
        var assignment = Assert.Single(Deployed.Template.OfType("Microsoft.Authorization/roleAssignments"),
            a => (Deployed.AsText(a.Node["properties"]?["principalId"]) ?? "").Contains("userPrincipalId", StringComparison.Ordinal));
        var raw = assignment.Scope.ExpandVariables(Deployed.AsText(assignment.Node["properties"]?["roleDefinitionId"]) ?? "");
        // The roles come from a list variable: read the GUIDs it names.
        var list = ListVariable().Match(raw) is { Success: true } m
            ? assignment.Scope.ExpandVariables(Deployed.AsText(assignment.Scope.Template["variables"]?[m.Groups[1].Value]) ?? "")
            : raw;
        var roles = Guid().Matches(list).Select(g => g.Value.ToLowerInvariant()).ToList();

        Assert.Equal(
            ["19e7f393-937e-4f77-808e-94535e297925", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "76199698-9eea-4c19-bc75-cec21354c6b6"],
            roles.Order(StringComparer.Ordinal));
        Assert.All(roles, r => Assert.EndsWith("Reader", Roles[r], StringComparison.Ordinal));
        Assert.Contains("empty(parameters('userPrincipalId'))", list, StringComparison.Ordinal); // nobody, unless a principal is given
        AssertScopedTo(assignment, "Microsoft.Storage/storageAccounts", Deployed.StorageAccount);
    }

    [Fact]
    public void Role_assignments_live_in_one_rbac_module()
    {
        var modules = Deployed.Template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => a.Scope.DeploymentName).Distinct().ToList();

        Assert.Equal(["rbac"], modules);
    }

    [Fact]
    public void Every_role_guid_in_rbac_bicep_is_commented_with_its_role_name()
    {
        var lines = File.ReadAllLines(RepoRoot.File("infra", "app", "rbac.bicep"));
        var found = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var guid = Guid().Match(lines[i]);
            if (!guid.Success)
            {
                continue;
            }

            found++;
            Assert.True(Roles.TryGetValue(guid.Value, out var roleName), $"Unexpected role GUID {guid.Value} in rbac.bicep");
            var comment = string.Join(' ', lines[..i].Reverse().TakeWhile(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal)))
                          + " " + (lines[i].Contains("//", StringComparison.Ordinal) ? lines[i][lines[i].IndexOf("//", StringComparison.Ordinal)..] : "");
            Assert.Contains(roleName, comment, StringComparison.Ordinal);
        }

        Assert.Equal(Roles.Count, found);
    }

    internal static List<ArmResource> IdentityAssignments() =>
        Deployed.Template.OfType("Microsoft.Authorization/roleAssignments")
            .Where(a => Deployed.ReadsIdentity(Deployed.AsText(a.Get("properties.principalId")), "principalId"))
            .ToList();

    internal static string RoleOf(ArmResource assignment)
    {
        var raw = Deployed.AsText(assignment.Node["properties"]?["roleDefinitionId"]) ?? "";
        var expanded = assignment.Scope.ExpandVariables(raw);
        Assert.Contains("'Microsoft.Authorization/roleDefinitions'", expanded, StringComparison.Ordinal);
        return Guid().Match(expanded) is { Success: true } m ? m.Value.ToLowerInvariant() : expanded;
    }

    internal static void AssertScopedTo(ArmResource assignment, string resourceType, ArmResource target)
    {
        var scope = Deployed.AsText(assignment.Node["scope"]) ?? "";
        Assert.Contains($"'{resourceType}'", scope, StringComparison.Ordinal);
        var (name, at) = Deployed.ResolveOnlyParameterIn(scope, assignment.Scope);
        Assert.True(
            Deployed.NamesResource(name, at, target),
            $"Assignment must be scoped to the {resourceType} the template creates, got {name}");
    }

    [GeneratedRegex(@"variables\('([^']+)'\)\[copyIndex\(\)\]")]
    private static partial Regex ListVariable();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();
}
