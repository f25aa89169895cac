using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>Named views on the compiled template that the tests share.</summary>
internal static partial class Deployed
{
    public static ArmTemplate Template => ArmTemplate.Main.Value;

    public static ArmResource FunctionApp => Template.Single("Microsoft.Web/sites");

    public static ArmResource Plan => Template.Single("Microsoft.Web/serverfarms");

    public static ArmResource StorageAccount => Template.Single("Microsoft.Storage/storageAccounts");

    public static ArmResource ApplicationInsights => Template.Single("Microsoft.Insights/components");

    /// <summary>The identity the app runs as (storage, telemetry): the identity module deployed as <c>identity</c>.</summary>
    public static ArmResource ManagedIdentity => IdentityOfModule("identity");

    /// <summary>The identity the platform writes and reads the deployment package with: module <c>deploymentIdentity</c>.</summary>
    public static ArmResource DeploymentIdentity => IdentityOfModule("deploymentIdentity");

    public static ArmResource VirtualNetwork => Template.Single("Microsoft.Network/virtualNetworks");

    public static ArmResource LogAnalytics => Template.Single("Microsoft.OperationalInsights/workspaces");

    private static ArmResource IdentityOfModule(string deployment) =>
        Assert.Single(Template.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"), i => i.Scope.DeploymentName == deployment);

    /// <summary>The function app's settings, by name, as written in its template (unresolved).</summary>
    public static IReadOnlyDictionary<string, JsonNode?> AppSettings
    {
        get
        {
            var site = FunctionApp;
            var settings = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (site.Get("properties.siteConfig.appSettings") is JsonArray list)
            {
                foreach (var item in list.OfType<JsonObject>())
                {
                    settings[item["name"]!.GetValue<string>()] = item["value"];
                }
            }

            // Settings may also live in a sites/config 'appsettings' child resource.
            foreach (var config in Template.OfType("Microsoft.Web/sites/config")
                         .Where(c => (c.Node["name"]?.GetValue<string>() ?? "").Contains("appsettings", StringComparison.Ordinal)))
            {
                foreach (var (name, value) in config.Properties)
                {
                    settings[name] = value;
                }
            }

            return settings;
        }
    }

    /// <summary>A setting's value followed through module parameters to what feeds it.</summary>
    public static string? ResolvedSetting(string name) =>
        AppSettings.TryGetValue(name, out var raw) ? AsText(FunctionApp.Scope.Resolve(raw).Value) : null;

    /// <summary>An expression with each <c>parameters('x')</c> call it contains resolved in
    /// <paramref name="scope"/>, joined for inspection.</summary>
    public static string ResolveParametersIn(string expression, ArmScope scope) =>
        string.Join(" | ", ParameterCall().Matches(expression).Select(m =>
            AsText(scope.Resolve(JsonValue.Create($"[parameters('{m.Groups[1].Value}')]")).Value)));

    public static string? AsText(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString();

    /// <summary>True when an expression reads <paramref name="output"/> of the module
    /// that declares the user-assigned identity.</summary>
    public static bool ReadsIdentity(string? expression, string output) => ReadsIdentity(ManagedIdentity, expression, output);

    /// <summary>True when an expression reads <paramref name="output"/> of the module that declares the deployment identity.</summary>
    public static bool ReadsDeploymentIdentity(string? expression, string output) => ReadsIdentity(DeploymentIdentity, expression, output);

    private static bool ReadsIdentity(ArmResource identity, string? expression, string output) =>
        ArmTemplate.ReadsModuleOutput(expression, identity.Scope.DeploymentName, output)
        && (AsText(identity.Scope.Outputs[output]?["value"]) ?? "").Contains($"userAssignedIdentities', parameters('name')", StringComparison.Ordinal);

    /// <summary>True when <paramref name="expression"/>, evaluated in <paramref name="from"/>, reads a
    /// module output (through any chain of modules) that is exactly <paramref name="target"/>'s name.</summary>
    public static bool NamesResource(string? expression, ArmScope from, ArmResource target)
    {
        for (var hop = 0; hop < 16; hop++)
        {
            if (expression is null || ModuleOutput().Match(expression) is not { Success: true } m)
            {
                return false;
            }

            var child = from.Children.SingleOrDefault(c => c.DeploymentName == m.Groups[1].Value);
            if (child is null)
            {
                return false;
            }

            expression = AsText(child.Outputs[m.Groups[2].Value]?["value"]);
            from = child;
            if (ReferenceEquals(child, target.Scope))
            {
                return expression == AsText(target.Node["name"]);
            }
        }

        return false;
    }

    /// <summary>What feeds parameter <paramref name="name"/> of <paramref name="scope"/>, and the
    /// scope that expression lives in.</summary>
    public static (string? Value, ArmScope Scope) ResolveParameter(string name, ArmScope scope)
    {
        var (value, at) = scope.Resolve(JsonValue.Create($"[parameters('{name}')]"));
        return (AsText(value), at);
    }

    /// <summary>The single <c>parameters('x')</c> an expression uses, resolved.</summary>
    public static (string? Value, ArmScope Scope) ResolveOnlyParameterIn(string expression, ArmScope scope)
    {
        var names = ParameterCall().Matches(expression).Select(m => m.Groups[1].Value).Distinct().ToList();
        return names.Count == 1
            ? ResolveParameter(names[0], scope)
            : throw new InvalidOperationException($"Expected one parameter in {expression}, found {names.Count}.");
    }

    /// <summary>Names declared by a (possibly copy-looped) child resource type, e.g. the queues.</summary>
    public static IReadOnlyList<string> DeclaredNames(string type)
    {
        var names = new List<string>();
        foreach (var resource in Template.OfType(type))
        {
            if (resource.Node["copy"]?["count"]?.GetValue<string>() is { } count
                && LengthOf().Match(count) is { Success: true } m
                && resource.Scope.Resolve(JsonValue.Create($"[{m.Groups[1].Value}('{m.Groups[2].Value}')]")) is ({ } list, var at)
                && list is JsonArray items)
            {
                names.AddRange(items.Select(i => AsText(at.Resolve(i).Value) ?? ""));
            }
            else
            {
                names.Add(AsText(resource.Node["name"])?.Split('/')[^1] ?? "");
            }
        }

        return names;
    }

    [GeneratedRegex(@"parameters\('([^']+)'\)")]
    private static partial Regex ParameterCall();

    [GeneratedRegex(@"'Microsoft\.Resources/deployments', '([^']+)'\).*?\.outputs\.(\w+)\.value")]
    private static partial Regex ModuleOutput();

    [GeneratedRegex(@"^\[length\((variables|parameters)\('([^']+)'\)\)\]$")]
    private static partial Regex LengthOf();
}
