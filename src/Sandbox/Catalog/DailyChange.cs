namespace FunctionsCrawler.Sandbox.Catalog;

/// <summary>
/// How the catalogue moves from one day to the next (the Day option): the rates of each kind of change and
/// the day's clock. Day 0 is the catalogue as generated; every later day is derived from the one before.
/// </summary>
internal static class DailyChange
{
    /// <summary>The last day the Sandbox can show (ten years on).</summary>
    public const int MaxDay = SandboxOptions.MaxDay;

    /// <summary>Share of the playlists alive the day before that change their tracks that day.</summary>
    public const double TrackChangeRate = 0.05;

    /// <summary>Share of the playlists alive the day before that get a new cover that day.</summary>
    public const double CoverChangeRate = 0.01;

    /// <summary>Share of the ordinary playlists alive the day before that are deleted that day.</summary>
    public const double DeleteRate = 0.005;

    /// <summary>A category's new playlists a day, as a share of its list (on average; 0..2× that, per category and day).</summary>
    public const double NewRate = 0.02;

    /// <summary>Midnight UTC of day 0: no generated time of day 0 is after it, every change of day d is on day d.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of <paramref name="day"/>.</summary>
    public static DateTimeOffset Start(int day) => Epoch.AddDays(day);

    /// <summary>A moment of <paramref name="day"/>, whole seconds.</summary>
    public static DateTimeOffset At(int day, long secondOfDay) => Start(day).AddSeconds(secondOfDay);

    public static void RequireDay(int day)
    {
        if (day is < 0 or > MaxDay)
            throw new ArgumentOutOfRangeException(nameof(day), day, $"A Sandbox day is within 0..{MaxDay}.");
    }
}
