namespace FunctionsCrawler.Logging;

/// <summary>A step could not finish its message (malformed page, storage fault): an expected failure the queue retries.</summary>
public sealed class CrawlStepException(string message, Exception? inner = null) : Exception(message, inner);
