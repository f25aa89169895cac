using System.Text;

namespace FunctionsCrawler.Logging;

/// <summary>
/// Makes text safe to print on a terminal or in a log line. Crawled titles and descriptions are
/// hostile: an ANSI escape can clear the screen or forge a log line, a carriage return or a BiDi
/// override can hide or reorder what follows, a NUL can cut the line short.
/// </summary>
public static class TerminalText
{
    public const string LineBreak = "⏎";

    /// <summary>
    /// Line breaks become ⏎ (a log entry stays one line), C0 controls their visible picture (ESC → ␛,
    /// NUL → ␀), tabs a space, DEL, C1 controls, BiDi and zero-width format characters U+FFFD.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var i = 0;
        while (i < text.Length && !NeedsReplacing(text[i])) i++;
        if (i == text.Length) return text; // the common case: nothing to do

        var clean = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (!NeedsReplacing(c)) clean.Append(c);
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') { clean.Append(LineBreak.AsSpan()); i++; }
            else clean.Append(Replacement(c));
        }
        return clean.ToString();
    }

    /// <summary>The same, keeping line breaks: for a stack trace, whose lines are its structure.</summary>
    public static string CleanLines(string? text) =>
        string.Join('\n', (text ?? "").Split('\n').Select(line => Clean(line.TrimEnd('\r'))));

    private static bool NeedsReplacing(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || IsBidiOrInvisible(c) || c is '\u2028' or '\u2029';

    private static bool IsBidiOrInvisible(char c) =>
        c is '\u061c' or '\u200b' or '\u200c' or '\u200d' or '\u200e' or '\u200f' or '\ufeff'
            or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069');

    private static string Replacement(char c) => c switch
    {
        '\n' or '\r' or '\u0085' or '\u2028' or '\u2029' => LineBreak,
        '\t' => " ",
        < ' ' => ((char)('\u2400' + c)).ToString(), // the Control Pictures block: ␀ … ␟
        _ => "\ufffd",
    };
}
