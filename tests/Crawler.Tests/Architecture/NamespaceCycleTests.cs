using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace FunctionsCrawler.Tests.Architecture;

/// <summary>
/// The core's namespaces depend on each other one way only (style.md: "dependencies point one way"): every type a
/// namespace's code names — in signatures, fields, attributes and method bodies — is read from the compiled assembly,
/// and the graph of namespaces must have no cycle.
/// </summary>
public sealed class NamespaceCycleTests
{
    private const string Root = "FunctionsCrawler";

    [Fact]
    public void The_core_namespaces_have_no_dependency_cycle()
    {
        var graph = DependencyGraph(typeof(CrawlerServices).Assembly.Location);
        Assert.True(graph.Count >= 8, $"read only {graph.Count} namespaces"); // the reader sees the real tree
        var cycles = Cycles(graph).Select(c => string.Join(" → ", c.Append(c[0]))).ToList();
        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles));
    }

    [Fact]
    public void The_site_client_knows_nothing_of_storage_or_the_pipeline_and_storage_does_not_download()
    {
        var graph = DependencyGraph(typeof(CrawlerServices).Assembly.Location);
        Assert.DoesNotContain($"{Root}.Storage", graph[$"{Root}.NetEase"]);
        Assert.DoesNotContain($"{Root}.Pipeline", graph[$"{Root}.NetEase"]);
        Assert.DoesNotContain($"{Root}.Pipeline", graph[$"{Root}.Storage"]);
        var storage = ModuleDefinition.ReadModule(typeof(CrawlerServices).Assembly.Location).Types
            .Where(t => t.Namespace == $"{Root}.Storage").SelectMany(Referenced).Select(r => r.FullName).ToHashSet();
        Assert.DoesNotContain($"{Root}.NetEase.NetEaseClient", storage);
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        Assert.Equal(["A", "B", "C"], Assert.Single(Cycles(graph)).Order());
    }

    /// <summary>Namespace → the other namespaces of the assembly its types name.</summary>
    private static Dictionary<string, HashSet<string>> DependencyGraph(string assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly);
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in module.Types.Where(t => t.Namespace.StartsWith(Root, StringComparison.Ordinal)))
        {
            var from = type.Namespace;
            if (!graph.TryGetValue(from, out var to)) graph[from] = to = [];
            foreach (var used in Referenced(type).Select(Outermost).Select(r => r.Namespace))
                if (used != from && used.StartsWith(Root, StringComparison.Ordinal)) to.Add(used);
        }
        return graph;
    }

    private static TypeReference Outermost(TypeReference t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t;
    }

    /// <summary>The types a type names, its nested types (compiler-made closures and state machines among them) included.</summary>
    private static IEnumerable<TypeReference> Referenced(TypeDefinition type)
    {
        foreach (var nested in type.NestedTypes)
            foreach (var r in Referenced(nested)) yield return r;
        if (type.BaseType is { } baseType) foreach (var r in Expand(baseType)) yield return r;
        foreach (var i in type.Interfaces) foreach (var r in Expand(i.InterfaceType)) yield return r;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.Fields) foreach (var r in Expand(f.FieldType)) yield return r;
        foreach (var p in type.Properties) foreach (var r in Expand(p.PropertyType)) yield return r;
        foreach (var m in type.Methods)
        {
            foreach (var r in Expand(m.ReturnType)) yield return r;
            foreach (var p in m.Parameters) foreach (var r in Expand(p.ParameterType)) yield return r;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) foreach (var r in Expand(v.VariableType)) yield return r;
            foreach (var operand in m.Body.Instructions.Select(i => i.Operand))
            {
                var named = operand switch
                {
                    TypeReference t => t,
                    MemberReference member => member.DeclaringType,
                    _ => null,
                };
                if (named is not null) foreach (var r in Expand(named)) yield return r;
                if (operand is MethodReference method)
                {
                    foreach (var r in Expand(method.ReturnType)) yield return r;
                    if (method is GenericInstanceMethod generic)
                        foreach (var argument in generic.GenericArguments) foreach (var r in Expand(argument)) yield return r;
                }
            }
        }
    }

    /// <summary>A type and the types inside it: generic arguments, array and pointer elements.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                yield return generic.ElementType;
                foreach (var argument in generic.GenericArguments) foreach (var r in Expand(argument)) yield return r;
                break;
            case TypeSpecification spec:
                foreach (var r in Expand(spec.ElementType)) yield return r;
                break;
            case GenericParameter:
                break;
            default:
                yield return type;
                break;
        }
    }

    /// <summary>The strongly connected components of more than one namespace (Tarjan's algorithm): each is a cycle.</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var found = new List<List<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in graph.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do
            {
                x = stack.Pop();
                onStack.Remove(x);
                component.Add(x);
            } while (x != v);
            if (component.Count > 1) found.Add(component);
        }
        foreach (var v in graph.Keys.ToList()) if (!index.ContainsKey(v)) Visit(v);
        return found;
    }
}
