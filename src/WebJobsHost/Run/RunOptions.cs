namespace FunctionsCrawler.WebJobsHost;

/// <summary>What <c>./run.sh</c> asks of the host (section <c>Run</c>, e.g. <c>--Run:Once=true</c>).</summary>
public sealed class RunOptions
{
    public const string Section = "Run";

    /// <summary>Start (or resume) a crawl and show its progress; without it the host only serves triggers and routes.</summary>
    public bool Crawl { get; set; }
    /// <summary>Start a fresh crawl even if one is unfinished.</summary>
    public bool New { get; set; }
    /// <summary>Exit when the crawl is complete: 0 when it completed, non-zero otherwise.</summary>
    public bool Once { get; set; }
    /// <summary>Where exports go.</summary>
    public string Out { get; set; } = "output";
    /// <summary>Put the crawl's poison messages back into the queues when resuming.</summary>
    public bool RequeueFailed { get; set; }
    /// <summary>Seconds between status lines when the output is not a terminal.</summary>
    public int LineSeconds { get; set; } = 5;
}
