using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace FunctionsCrawler.Progress;

/// <summary>How both hosts write their JSON answers: camelCase, indented, Chinese text as is (HTML-sensitive characters stay escaped).</summary>
public static class StatusJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}
