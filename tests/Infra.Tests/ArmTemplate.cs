using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsCrawler.Infra.Tests;

/// <summary>The ARM JSON that `bicep build infra/main.bicep` produces, flattened: every resource of
/// every module (nested deployment), each with the template scope it was declared in, so values can
/// be traced through module parameters back to main.bicep.</summary>
internal sealed partial class ArmTemplate
{
    public static Lazy<ArmTemplate> Main { get; } = new(() =>
    {
        var build = BicepCli.BuildMain.Value;
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed ({build.ExitCode}): {build.StdErr}");
        }

        return new ArmTemplate(JsonNode.Parse(build.StdOut)!.AsObject());
    });

    public ArmTemplate(JsonObject root)
    {
        Root = new ArmScope(root, deploymentName: "", bindings: null, parent: null);
        var resources = new List<ArmResource>();
        Collect(Root, resources);
        Resources = resources;
    }

    public ArmScope Root { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    public ArmResource Single(string type)
    {
        var matches = OfType(type).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one {type}, found {matches.Count}.");
    }

    /// <summary>The module (nested deployment) named <paramref name="deploymentName"/>.</summary>
    public ArmScope Module(string deploymentName) =>
        Resources.Where(r => r.Type == "Microsoft.Resources/deployments")
            .Select(r => r.Scope.Children.SingleOrDefault(c => c.DeploymentName == deploymentName))
            .FirstOrDefault(c => c is not null)
        ?? throw new InvalidOperationException($"No module deployment named '{deploymentName}'.");

    /// <summary>True when an expression reads output <paramref name="output"/> of the module
    /// deployment named <paramref name="deployment"/>.</summary>
    public static bool ReadsModuleOutput(string? expression, string deployment, string output) =>
        expression is not null
        && expression.Contains($"'Microsoft.Resources/deployments', '{deployment}')", StringComparison.Ordinal)
        && expression.Contains($".outputs.{output}.value", StringComparison.Ordinal);

    private static void Collect(ArmScope scope, List<ArmResource> into)
    {
        foreach (var node in ResourceNodes(scope.Template))
        {
            var resource = new ArmResource(node, scope);
            into.Add(resource);
            if (resource.Type == "Microsoft.Resources/deployments"
                && node["properties"]?["template"] is JsonObject nested)
            {
                var child = new ArmScope(
                    nested,
                    deploymentName: node["name"]?.GetValue<string>() ?? "",
                    bindings: node["properties"]?["parameters"] as JsonObject,
                    parent: scope);
                scope.Children.Add(child);
                Collect(child, into);
            }
        }
    }

    // Bicep emits an array, or an object keyed by symbolic name (languageVersion 2.0).
    private static IEnumerable<JsonObject> ResourceNodes(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject map => map.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };
}

/// <summary>One template (main or a module) and the parameter values its caller passed.</summary>
internal sealed partial class ArmScope(JsonObject template, string deploymentName, JsonObject? bindings, ArmScope? parent)
{
    public JsonObject Template { get; } = template;

    public string DeploymentName { get; } = deploymentName;

    public ArmScope? Parent { get; } = parent;

    public List<ArmScope> Children { get; } = [];

    public JsonObject Parameters => Template["parameters"] as JsonObject ?? [];

    public JsonObject Outputs => Template["outputs"] as JsonObject ?? [];

    /// <summary>Follows values that are nothing but <c>[parameters('x')]</c> or <c>[variables('x')]</c>
    /// up to what actually feeds them: the caller's argument, the default, or the variable.</summary>
    public (JsonNode? Value, ArmScope Scope) Resolve(JsonNode? value)
    {
        var scope = this;
        for (var hop = 0; hop < 32; hop++)
        {
            var text = (value as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null;
            if (text is null)
            {
                break;
            }

            if (WholeParameter().Match(text) is { Success: true } p)
            {
                var name = p.Groups[1].Value;
                if (scope.Parent is not null && scope.Bindings?[name]?["value"] is { } argument)
                {
                    value = argument;
                    scope = scope.Parent;
                }
                else
                {
                    value = scope.Parameters[name]?["defaultValue"];
                }

                continue;
            }

            if (WholeVariable().Match(text) is { Success: true } v)
            {
                value = scope.Template["variables"]?[v.Groups[1].Value];
                continue;
            }

            break;
        }

        return (value, scope);
    }

    /// <summary>The main.bicep parameter a value comes from (through module parameters and an
    /// optional string() conversion), or null when it is not fed by a parameter.</summary>
    public string? RootParameter(JsonNode? value)
    {
        var scope = this;
        for (var hop = 0; hop < 32; hop++)
        {
            var text = (value as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null;
            if (text is null || ParameterOrConverted().Match(text) is not { Success: true } m)
            {
                return null;
            }

            var name = m.Groups[1].Value;
            if (scope.Parent is null)
            {
                return scope.Parameters.ContainsKey(name) ? name : null;
            }

            value = scope.Bindings?[name]?["value"];
            scope = scope.Parent;
        }

        return null;
    }

    /// <summary>Replaces <c>variables('x')</c> calls whose variable is a plain string by the literal.</summary>
    public string ExpandVariables(string expression) =>
        VariableCall().Replace(expression, m =>
            Template["variables"]?[m.Groups[1].Value] is JsonValue literal
            && literal.TryGetValue<string>(out var text)
            && !text.StartsWith('[')
                ? $"'{text}'"
                : m.Value);

    private JsonObject? Bindings { get; } = bindings;

    [GeneratedRegex(@"^\[parameters\('([^']+)'\)\]$")]
    private static partial Regex WholeParameter();

    [GeneratedRegex(@"^\[variables\('([^']+)'\)\]$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"^\[(?:string\()?parameters\('([^']+)'\)\)?\]$")]
    private static partial Regex ParameterOrConverted();

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableCall();
}

/// <summary>A resource as declared in the compiled template.</summary>
internal sealed record ArmResource(JsonObject Node, ArmScope Scope)
{
    public string Type => Node["type"]?.GetValue<string>() ?? "";

    public JsonObject Properties => Node["properties"] as JsonObject ?? [];

    /// <summary>A property by dotted path, resolved through parameters and variables.</summary>
    public JsonNode? Get(string dottedPath)
    {
        JsonNode? node = Node;
        var scope = Scope;
        foreach (var part in dottedPath.Split('.'))
        {
            (node, scope) = scope.Resolve(node);
            node = node?[part];
        }

        return scope.Resolve(node).Value;
    }

    public string? GetString(string dottedPath) =>
        Get(dottedPath) is JsonValue v && v.TryGetValue<string>(out var s) ? s : Get(dottedPath)?.ToJsonString();
}
