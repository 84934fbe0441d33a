using System.Text;
using CsCheck;

namespace Presence.Web.Tests.Fuzz;

/// <summary>
/// CsCheck generators of hostile request bodies: JSON-shaped text whose strings hold any UTF-16 code unit (lone
/// surrogates written as <c>\uD800</c> escapes), wrong types, huge numbers, long strings, duplicate keys, deep nesting,
/// then, for some, raw byte damage (invalid UTF-8, truncation).
/// </summary>
public static class HostileJson
{
    /// <summary>A JSON string literal of any code units, quotes included.</summary>
    public static Gen<string> AnyString { get; } = Gen.Frequency(
        (6, Gen.String[Gen.Char, 0, 12].Select(Literal)),
        (1, Gen.Int[1000, 70_000].Select(n => Literal(new string('x', n)))),
        (1, Gen.Const("\"\\ud800\"")),
        (1, Gen.Const("\"a\\udfff\\ud800b\"")));

    /// <summary>Any JSON value: strings, numbers (huge ones too), literals, small arrays and objects, deep nesting.</summary>
    public static Gen<string> AnyValue { get; } = Gen.Frequency(
        (5, AnyString),
        (2, Gen.OneOf(Gen.Const("1e999999"), Gen.Const("-0"), Gen.Const("123456789012345678901234567890"), Gen.Const("1.5"), Gen.Const("NaN"))),
        (1, Gen.OneOf(Gen.Const("true"), Gen.Const("null"), Gen.Const("false"))),
        (1, Gen.Const("[]")),
        (1, Gen.Const("{}")),
        (1, Gen.Int[10, 3000].Select(n => new string('[', n) + new string(']', n))));

    /// <summary>JSON text for <paramref name="text"/>: every non-ASCII, control, quote or backslash code unit as a <c>\uXXXX</c> escape.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is >= ' ' and < (char)0x7F and not '"' and not '\\') sb.Append(c);
            else sb.Append($"\\u{(int)c:X4}");
        }
        return sb.Append('"').ToString();
    }

    /// <summary>Damages UTF-8 text: nothing (most), an invalid byte spliced in, a truncation, or a duplicated key.</summary>
    public static Gen<Func<string, byte[]>> Damage { get; } = Gen.Frequency(
        (6, Gen.Const<Func<string, byte[]>>(s => Encoding.UTF8.GetBytes(s))),
        (1, Gen.Select(Gen.Double[0, 1], Gen.Byte[0x80, 0xFF], (at, b) => (Func<string, byte[]>)(s =>
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            var i = (int)(at * bytes.Length);
            return [.. bytes[..i], b, .. bytes[i..]];
        }))),
        (1, Gen.Double[0, 1].Select(at => (Func<string, byte[]>)(s => Truncate(s, at)))),
        (1, Gen.Const<Func<string, byte[]>>(s => Encoding.UTF8.GetBytes(s.Replace("{\"", "{\"status\": \"busy\", \"status\": 1, \"")))));

    private static byte[] Truncate(string text, double at)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes[..(int)(at * bytes.Length)];
    }

    /// <summary>One of <paramref name="values"/> (picked by index, so the sequence is reproducible).</summary>
    public static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);
}
