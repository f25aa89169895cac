namespace FunctionsCrawler.Infra.Tests;

/// <summary>The account holds the queues, containers and table named in shared/design.md.</summary>
public class StorageLayoutTests
{
    [Theory]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices/queues", "crawl-pages")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices/queues", "crawl-playlists")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices/queues", "crawl-pages-poison")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices/queues", "crawl-playlists-poison")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers", "covers")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers", "exports")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices/tables", "Playlists")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices/tables", "CrawlItems")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices/tables", "Crawls")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices/tables", "Pacer")]
    public void Storage_account_declares_what_the_crawler_uses(string type, string name)
    {
        Assert.Contains(name, Deployed.DeclaredNames(type));
    }
}
