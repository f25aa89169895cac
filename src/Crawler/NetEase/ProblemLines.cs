namespace FunctionsCrawler.NetEase;

/// <summary>
/// What was wrong in one answer without spoiling the rest, one line each: at most <c>max</c> lines, then one that counts
/// the rest, so a hostile answer cannot flood the log.
/// </summary>
internal sealed class ProblemLines(int max)
{
    private readonly List<string> _lines = [];
    private int _dropped;

    public void Add(string line)
    {
        if (_lines.Count < max) _lines.Add(line);
        else _dropped++;
    }

    public List<string> Lines() =>
        _dropped == 0 ? _lines : [.. _lines, $"… and {_dropped} more problems"];
}
