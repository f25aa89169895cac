using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("FunctionsCrawler.Integration.Tests.LongestFirst", "FunctionsCrawler.Integration.Tests")]

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// About how long a test class (or a collection's definition) takes on the 2-core machine CI runs on, all its tests
/// together: <see cref="LongestFirst"/> starts the longest first. A figure, not a limit: nothing fails on it.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DurationAttribute(int seconds) : Attribute
{
    public int Seconds => seconds;
}

/// <summary>
/// Starts the test collections longest first (by their <see cref="DurationAttribute"/>), so that the few running at once
/// end near together rather than a long one starting last and running on alone; ties by name, so every run is the same.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    private const string ClassCollection = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderByDescending(Seconds).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Seconds(ITestCollection collection)
    {
        // A named collection's definition carries it; a class alone is a collection named after the class.
        var type = collection.CollectionDefinition?.ToRuntimeType()
            ?? (collection.DisplayName.StartsWith(ClassCollection, StringComparison.Ordinal)
                ? typeof(LongestFirst).Assembly.GetType(collection.DisplayName[ClassCollection.Length..])
                : null);
        return type?.GetCustomAttribute<DurationAttribute>()?.Seconds ?? 0;
    }
}
