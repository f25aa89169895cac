using System.Text.Json;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary><c>/_sandbox/stats</c>: the request log summed up for scripts and benchmarks.</summary>
internal static class StatsJson
{
    public static byte[] Render(RequestLog log, TimeSpan repeatWindow, TimeSpan blockWindow)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            var perSecond = log.PerSecond();
            json.WriteStartObject();
            json.WriteNumber("requests", perSecond.Sum(second => (long)second.Count));
            WriteCounts(json, "byPath", log.ByKind());
            WriteCounts(json, "byOutcome", log.ByOutcome());
            json.WriteNumber("maxPerSecond", perSecond.Count == 0 ? 0 : perSecond.Max(second => second.Count));
            // Requests for a URL the site had answered "blocked" less than withinSeconds before: a crawler that backs off has none.
            json.WriteStartObject("blockedRepeats");
            json.WriteNumber("withinSeconds", (long)repeatWindow.TotalSeconds);
            json.WriteNumber("count", log.RepeatsWithin(repeatWindow).Count);
            json.WriteEndObject();
            // Blocked answers per block window: what one block cost the site (the requests in flight when it began, at best).
            var episodes = log.BlockEpisodes(blockWindow);
            json.WriteStartObject("blockEpisodes");
            json.WriteNumber("count", episodes.Count);
            json.WriteNumber("mostBlockedAnswers", episodes.Count == 0 ? 0 : episodes.Max(e => e.BlockedAnswers));
            json.WriteStartArray("blockedAnswers");
            foreach (var episode in episodes) json.WriteNumberValue(episode.BlockedAnswers);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("perSecond");
            foreach (var (second, count) in perSecond)
            {
                json.WriteStartObject();
                json.WriteNumber("second", second);
                json.WriteNumber("count", count);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary><c>/_sandbox/arrivals</c>: <c>{"arrivalsMs":[…]}</c>, Unix milliseconds (to the microsecond), oldest first.</summary>
    public static byte[] RenderArrivals(IReadOnlyList<DateTimeOffset> arrivals)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Html.ApiJson))
        {
            json.WriteStartObject();
            json.WriteStartArray("arrivalsMs");
            foreach (var at in arrivals)
                json.WriteNumberValue(Math.Round((at - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerMillisecond, 3));
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, count) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            json.WriteNumber(key, count);
        json.WriteEndObject();
    }
}
