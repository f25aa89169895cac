using Microsoft.Extensions.Options;

namespace FunctionsCrawler.Configuration;

/// <summary>Every wrong <c>NetEase__*</c> setting, one sentence each naming its key (run at start: <c>ValidateOnStart</c>).</summary>
public sealed class NetEaseOptionsValidator : IValidateOptions<NetEaseOptions>
{
    /// <summary>The largest <c>limit</c> asked of a JSON list (public clients use 35–60; the site's own ceiling is not known).</summary>
    public const int MaxListPageSize = 100;

    /// <summary>The most song ids asked at once: what public clients ask (the site's own ceiling is not known).</summary>
    public const int MaxSongBatchSize = 1000;

    /// <summary>Cover sizes the CDN is asked for, in pixels a side: below 40 a cover is an icon, above 2000 more than most originals.</summary>
    public const int MinCoverSize = 40, MaxCoverSize = 2000;

    public ValidateOptionsResult Validate(string? name, NetEaseOptions options)
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            problems.Add($"NetEase__BaseUrl must be an absolute http(s) URL, got '{options.BaseUrl}'.");
        if (!(options.RequestsPerSecond > 0) || double.IsInfinity(options.RequestsPerSecond))
            problems.Add($"NetEase__RequestsPerSecond must be a number above 0, got {options.RequestsPerSecond}.");
        if (!options.UseJsonApi && !string.Equals(options.DetailSource, "page", StringComparison.OrdinalIgnoreCase))
            problems.Add($"NetEase__DetailSource must be 'page' or 'api', got '{options.DetailSource}'.");
        if (!options.UseApiLists && !string.Equals(options.ListSource, "page", StringComparison.OrdinalIgnoreCase))
            problems.Add($"NetEase__ListSource must be 'page' or 'api', got '{options.ListSource}'.");
        if (options.ListPageSize is < 1 or > MaxListPageSize)
            problems.Add($"NetEase__ListPageSize must be between 1 and {MaxListPageSize}, got {options.ListPageSize}.");
        if (options.SongBatchSize is < 1 or > MaxSongBatchSize)
            problems.Add($"NetEase__SongBatchSize must be between 1 and {MaxSongBatchSize}, got {options.SongBatchSize}.");
        if (options.CoverSize != 0 && options.CoverSize is < MinCoverSize or > MaxCoverSize)
            problems.Add($"NetEase__CoverSize must be 0 (the original) or between {MinCoverSize} and {MaxCoverSize}, got {options.CoverSize}.");
        foreach (var host in options.ImageHostList)
            if (!Uri.TryCreate($"http://{host}/", UriKind.Absolute, out var image) || !string.Equals(image.Authority, host, StringComparison.OrdinalIgnoreCase)
                || image.UserInfo.Length > 0)
                problems.Add($"NetEase__ImageHosts must be comma-separated host:port authorities (e.g. 127.0.0.1:5081), got '{host}'.");
        if (!(options.PacerClockSkewMs >= 0) || options.PacerClockSkewMs > 1000)
            problems.Add($"NetEase__PacerClockSkewMs must be between 0 and 1000, got {options.PacerClockSkewMs}.");
        if (options.MaxCoverBytes <= 0)
            problems.Add($"NetEase__MaxCoverBytes must be above 0, got {options.MaxCoverBytes}.");
        if (!(options.BlockPauseSeconds > 0) || double.IsInfinity(options.BlockPauseSeconds))
            problems.Add($"NetEase__BlockPauseSeconds must be above 0, got {options.BlockPauseSeconds}.");
        if (options.MaxPageBytes <= 0)
            problems.Add($"NetEase__MaxPageBytes must be above 0, got {options.MaxPageBytes}.");
        if (options.ReadTimeoutSeconds <= 0)
            problems.Add($"NetEase__ReadTimeoutSeconds must be above 0, got {options.ReadTimeoutSeconds}.");
        if (!(options.RetryDelaySeconds >= 0) || double.IsInfinity(options.RetryDelaySeconds))
            problems.Add($"NetEase__RetryDelaySeconds must be 0 or more, got {options.RetryDelaySeconds}.");
        if (string.IsNullOrWhiteSpace(options.UserAgent))
            problems.Add("NetEase__UserAgent must not be empty.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
