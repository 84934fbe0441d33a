using System.Globalization;
using System.Text;

namespace Presence.Domain.Model;

/// <summary>
/// The characters refused in user ids because PRECIS (RFC 8264 §9.2–§9.15, IdentifierClass as used by RFC 7622 §3.3
/// for local parts and by IDNA2008 for domains) disallows them, chosen for what they do on screen: they are invisible
/// or reorder the text around them, so two ids could look alike or one could pose as another (display spoofing).
/// </summary>
public static class PrecisCharacters
{
    /// <summary>
    /// The first disallowed character of <paramref name="text"/>, described for an error message
    /// (<c>"U+202E (a format or bidi control character)"</c>), or <c>null</c> when there is none.
    /// Disallowed: controls (Cc), format characters (Cf: bidi controls U+200E/F, U+202A–E, U+2066–9, zero-width
    /// U+200B–D, U+2060, soft hyphen U+00AD, BOM U+FEFF), lone surrogates (Cs), private use (Co), unassigned (Cn),
    /// spaces (Zs), line/paragraph separators (Zl, Zp), non-characters (U+FDD0–FDEF, U+xxFFFE/F) and the other
    /// default-ignorable code points (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, variation selectors
    /// U+180B–F, U+FE00–F, U+E0100–1EF, combining grapheme joiner U+034F).
    /// </summary>
    public static string? FindDisallowed(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
                return $"U+{(int)text[i]:X4} (a lone surrogate, not a character)";
            if (Why(rune) is { } why) return $"U+{rune.Value:X4} ({why})";
            i += used;
        }
        return null;
    }

    private static string? Why(Rune rune)
    {
        var v = rune.Value;
        if (v is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x034F || v is >= 0x180B and <= 0x180F || v is >= 0xFE00 and <= 0xFE0F || v is >= 0xE0100 and <= 0xE01EF)
            return "an invisible default-ignorable character";
        if (v is >= 0xFDD0 and <= 0xFDEF || (v & 0xFFFE) == 0xFFFE) return "a non-character";
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.Format => "an invisible format or bidi control character",
            UnicodeCategory.PrivateUse => "a private-use character",
            UnicodeCategory.OtherNotAssigned => "an unassigned code point",
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a space or separator",
            _ => null,
        };
    }
}
