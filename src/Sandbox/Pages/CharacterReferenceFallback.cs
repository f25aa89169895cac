using System.Globalization;
using System.Text;

namespace FunctionsCrawler.Sandbox.Pages;

/// <summary>
/// Writes a character the page's encoding cannot hold (an emoji in GBK) as an HTML character reference,
/// <c>&amp;#x1F3A7;</c>, the way a server with a legacy encoding does: a parser decodes it back to the exact text.
/// Only used for markup, whose &lt;script&gt; holds JSON with such characters already escaped.
/// </summary>
internal sealed class CharacterReferenceFallback : EncoderFallback
{
    public override int MaxCharCount => "&#x10FFFF;".Length;

    public override EncoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

    private sealed class Buffer : EncoderFallbackBuffer
    {
        private string _reference = "";
        private int _next;

        public override int Remaining => _reference.Length - _next;

        public override bool Fallback(char charUnknown, int index) => Start(charUnknown);

        public override bool Fallback(char charUnknownHigh, char charUnknownLow, int index) =>
            Start(char.ConvertToUtf32(charUnknownHigh, charUnknownLow));

        public override char GetNextChar() => _next < _reference.Length ? _reference[_next++] : '\0';

        public override bool MovePrevious()
        {
            if (_next == 0)
                return false;
            _next--;
            return true;
        }

        public override void Reset()
        {
            _reference = "";
            _next = 0;
        }

        private bool Start(int codePoint)
        {
            _reference = "&#x" + codePoint.ToString("X", CultureInfo.InvariantCulture) + ";";
            _next = 0;
            return true;
        }
    }
}
