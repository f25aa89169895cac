using FunctionsCrawler.Logging;
using Xunit;

namespace FunctionsCrawler.Tests.Logging;

public sealed class StorageSecretsTests
{
    private const string Key = "U0VDUkVUS0VZU0VDUkVUS0VZU0VDUkVUS0VZ+/==";

    [Fact]
    public void An_account_key_in_a_connection_string_is_hidden_and_the_endpoint_kept()
    {
        var shown = StorageSecrets.Redact($"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={Key};QueueEndpoint=http://127.0.0.1:1/acct;");
        Assert.Equal("DefaultEndpointsProtocol=http;AccountName=acct;AccountKey=***;QueueEndpoint=http://127.0.0.1:1/acct;", shown);
    }

    [Fact]
    public void A_shared_access_signature_setting_is_hidden_whole()
    {
        var shown = StorageSecrets.Redact("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2024-01-01&ss=b&sig=abc%2Fdef%3D");
        Assert.Equal("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=***", shown);
    }

    [Theory]
    [InlineData("queues at https://a.queue.core.windows.net/?sv=2024&sig=abc%2F%3D): refused", "queues at https://a.queue.core.windows.net/?sv=2024&sig=***): refused")]
    [InlineData("GET https://a/c/b.jpg?sig=abc&se=2030 failed", "GET https://a/c/b.jpg?sig=***&se=2030 failed")]
    [InlineData("Authorization: SharedKey acct:c2lnbmF0dXJl", "Authorization: SharedKey acct:***")]
    [InlineData("accountkey = abc;", "accountkey=***;")]
    public void A_secret_quoted_in_a_message_is_hidden(string message, string shown) =>
        Assert.Equal(shown, StorageSecrets.Redact(message));

    [Fact]
    public void A_message_without_secrets_is_unchanged()
    {
        const string message = "Storage is unreachable (setting AzureWebJobsStorage; queues at http://127.0.0.1:10001/devstoreaccount1): Connection refused";
        Assert.Equal(message, StorageSecrets.Redact(message));
    }
}
