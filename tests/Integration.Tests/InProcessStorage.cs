using Xunit;

namespace FunctionsCrawler.Integration.Tests;

/// <summary>
/// The in-process tests on real storage: short, so they share one collection (run one after another) and one Azurite,
/// each test on an account of its own.
/// </summary>
[CollectionDefinition(nameof(InProcessStorage))]
public sealed class InProcessStorage : ICollectionFixture<AzuriteFixture>;
