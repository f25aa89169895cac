using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;

namespace FunctionsCrawler.NetEase;

/// <summary>What a JSON field held, as far as a 64-bit number goes: its value, or what was wrong with it.</summary>
internal readonly record struct JsonNumber(long? Value, string? Trouble, bool Refused)
{
    public static JsonNumber Missing(string name) => new(null, $"no {name}", false);
}

/// <summary>
/// The steps every JSON answer of the site goes through before its own fields are read: the block and not-found shapes
/// (<see cref="ResponseClassifier"/>), then JSON, an object at the root and no unknown error <c>code</c>; and the
/// readers of its fields, which take nothing on trust.
/// </summary>
internal static class JsonAnswer
{
    /// <summary>
    /// Classifies the response, opens it as JSON and hands its root object to <paramref name="read"/>; Malformed, with one
    /// line saying what was wrong, when the body is not JSON, its root is not an object, or it carries a non-200 code the
    /// classifier does not know.
    /// </summary>
    public static PageResult<T> Read<T>(int httpStatus, string body, Func<JsonElement, PageResult<T>> read)
    {
        // Parsed once: the classifier reads the code from the same document.
        JsonDocument? document = null;
        string? invalid = null;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // ArgumentException: text that is not valid UTF-16 (a lone surrogate) cannot even be transcoded.
            invalid = e.Message;
        }

        using (document)
        {
            var (outcome, reason) = ResponseClassifier.Classify(httpStatus, body, document);
            if (outcome != PageOutcome.Ok)
            {
                return new PageResult<T>(outcome, default, reason);
            }

            if (document is null)
            {
                return PageResult<T>.Malformed($"invalid JSON: {ResponseClassifier.Quote(invalid)}");
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return PageResult<T>.Malformed($"JSON root is {root.ValueKind}, not an object");
            }

            if (ReadCode(root) is { } code and not 200)
            {
                return PageResult<T>.Malformed($"API code {code}: {ResponseClassifier.Quote(ReadString(root, "msg") ?? ReadString(root, "message"))}".TrimEnd(' ', ':'));
            }

            return read(root);
        }
    }

    public static string? ReadString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? Text(value) : null;

    /// <summary>
    /// The text <c>obj.name</c> holds, as given (untrimmed); or, when it is missing or not text, why not (naming it
    /// <paramref name="label"/>, else <paramref name="name"/>).
    /// </summary>
    public static (string? Value, string? Trouble) ReadText(JsonElement obj, string name, string? label = null)
    {
        label ??= name;
        if (!obj.TryGetProperty(name, out var value))
        {
            return (null, $"no {label}");
        }

        return value.ValueKind == JsonValueKind.String ? (Text(value), null) : (null, $"{label} is {value.ValueKind}, not text");
    }

    /// <summary>
    /// A JSON string's text. An escaped surrogate without its partner (<c>"\ud83d"</c>: a Java server cut an emoji in
    /// half) makes <see cref="JsonElement.GetString"/> throw; here it reads as U+FFFD and the rest of the text is kept.
    /// The caller has checked that <paramref name="value"/> is a string.
    /// </summary>
    public static string Text(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new ArgumentException($"a JSON {value.ValueKind} is not text", nameof(value));
        }

        try
        {
            return value.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return Unescape(value.GetRawText());
        }
    }

    /// <summary>A property's name; null when it cannot be text (an unpaired surrogate escape).</summary>
    public static string? NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>A JSON string literal (well-formed: its document parsed) as text, each unpaired surrogate as U+FFFD.</summary>
    private static string Unescape(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            if (literal[i] != '\\')
            {
                text.Append(literal[i]);
                continue;
            }

            var escaped = literal[++i];
            if (escaped == 'u')
            {
                text.Append((char)int.Parse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                i += 4;
                continue;
            }

            text.Append(escaped switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escaped });
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                text[i] = '\uFFFD';
            }
        }

        return text.ToString();
    }

    public static bool TryGetObject(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;

    /// <summary>
    /// A 64-bit number from <c>{name}_str</c> when that holds one (exact past 2^53, where the site's numbers are rounded
    /// for JavaScript), else from <c>{name}</c> as a number or numeric string. A number that is not a whole 64-bit value
    /// is <see cref="JsonNumber.Refused"/>: the answer is refused rather than misread. Missing, null and non-numeric
    /// fields have no value and say so in <see cref="JsonNumber.Trouble"/>.
    /// </summary>
    public static JsonNumber ReadNumber(JsonElement obj, string name)
    {
        var exact = Field(obj, name + "_str");
        return exact.Value is not null || exact.Refused ? exact : Field(obj, name);
    }

    private static JsonNumber Field(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return JsonNumber.Missing(name);
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var n))
                {
                    return new JsonNumber(n, null, false);
                }

                // 1e3 or 12.0 are whole numbers written another way.
                if (value.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue)
                {
                    return new JsonNumber((long)d, null, false);
                }

                return Refuse(name, value.GetRawText());
            case JsonValueKind.String:
                var text = Text(value).Trim();
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return new JsonNumber(parsed, null, false);
                }

                // Digits that do not fit are a hostile number; other text is just not a number.
                var digits = text?.TrimStart('-');
                return digits is { Length: > 0 } && digits.All(char.IsAsciiDigit)
                    ? Refuse(name, text!)
                    : new JsonNumber(null, $"{name} \"{ResponseClassifier.Quote(text)}\" is not a number", false);
            case JsonValueKind.Null:
                return new JsonNumber(null, $"{name} is null", false);
            default:
                return new JsonNumber(null, $"{name} is {value.ValueKind}, not a number", false);
        }
    }

    private static JsonNumber Refuse(string name, string text) =>
        new(null, $"{name} \"{ResponseClassifier.Quote(text)}\" is not a whole number that fits in 64 bits", true);

    /// <summary>
    /// A detail answer's playlist object (<c>{"code":200,"playlist":{…}}</c>, or the older <c>"result"</c>) read by
    /// <paramref name="read"/>, after <see cref="Read{T}"/>'s checks; Malformed when the answer has none.
    /// </summary>
    public static PageResult<T> ReadPlaylist<T>(int httpStatus, string body, Func<JsonElement, PageResult<T>> read) =>
        Read(httpStatus, body, root =>
            TryGetObject(root, "playlist", out var playlist) || TryGetObject(root, "result", out playlist)
                ? read(playlist)
                : PageResult<T>.Malformed("API response has no playlist object"));

    /// <summary>
    /// The objects of an answer's array that name a whole-number <c>id</c> above 0, with their index, read as the caller goes
    /// (so its own lines stay in array order); every other entry is skipped with a line (<c>&lt;array&gt;[i] is …, not a
    /// &lt;noun&gt;</c> / <c>has no &lt;noun&gt; id</c>) and counted in <paramref name="skipped"/>.
    /// </summary>
    internal static IEnumerable<(int Index, JsonElement Item, long Id)> ItemsWithId(JsonElement array, string arrayName, string noun, ProblemLines problems,
        StrongBox<int> skipped)
    {
        var index = -1;
        foreach (var entry in array.EnumerateArray())
        {
            index++;
            if (entry.ValueKind != JsonValueKind.Object)
            {
                skipped.Value++;
                problems.Add($"{arrayName}[{index}] is {entry.ValueKind}, not a {noun}: skipped");
                continue;
            }

            var number = ReadNumber(entry, "id");
            if (number.Value is not { } id || id <= 0)
            {
                skipped.Value++;
                problems.Add($"{arrayName}[{index}] has no {noun} id ({number.Trouble ?? $"id {number.Value} is not above 0"}): skipped");
                continue;
            }

            yield return (index, entry, id);
        }
    }

    private static long? ReadCode(JsonElement root) =>
        root.TryGetProperty("code", out var code) ? ResponseClassifier.ReadCode(code) : null;
}
