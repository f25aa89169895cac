using AngleSharp.Dom;

namespace FunctionsCrawler.Sandbox.Tests;

/// <summary>Reads p#album-desc-more as a parser should: &lt;br /&gt; is a line break, the "介绍：" label is dropped.</summary>
internal static class DescriptionText
{
    public static string Of(IElement paragraph)
    {
        var text = string.Concat(paragraph.ChildNodes.Select(node => node switch
        {
            IElement { LocalName: "br" } => "\n",
            IElement { LocalName: "b" } => "",
            _ => node.TextContent,
        }));
        return text.Trim();
    }
}
