namespace FunctionsCrawler.Logging;

/// <summary>Any text on its way to a log or the terminal: storage secrets hidden, then control characters stripped.</summary>
public static class SafeText
{
    public static string Of(string? text) => TerminalText.Clean(StorageSecrets.Redact(text));
}
