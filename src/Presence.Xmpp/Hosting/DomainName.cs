namespace Presence.Xmpp.Hosting;

/// <summary>
/// The domain part of a JID as a configuration value: a host name (RFC 7622 §3.2), IDN allowed, made of labels of
/// letters, digits and hyphens (the STD3 rules of RFC 5891 §5.4), or an IP literal; no whitespace, <c>@</c> or <c>/</c>.
/// </summary>
public static class DomainName
{
    private static readonly System.Globalization.IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>Whether <paramref name="text"/> is a domain name usable as a server or component JID.</summary>
    /// <param name="text">The configured value.</param>
    /// <param name="why">When invalid, what is wrong, in words.</param>
    public static bool IsValid(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? why)
    {
        why = null;
        if (string.IsNullOrWhiteSpace(text)) { why = "it is empty"; return false; }
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { why = "it contains a space or other whitespace"; return false; }
            if (char.IsControl(c)) { why = "it contains a control character"; return false; }
            if (c == '@') { why = "it contains '@': a user's JID, not a domain"; return false; }
            if (c == '/') { why = "it contains '/': a resource, not a domain"; return false; }
        }
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            if (System.Net.IPAddress.TryParse(text[1..^1], out _)) return true;
            why = "it is not a valid IPv6 literal";
            return false;
        }
        var name = text.EndsWith('.') ? text[..^1] : text; // RFC 7622 §3.2: a trailing dot is stripped
        try
        {
            var ascii = Idn.GetAscii(name);
            if (ascii.Length > 253) { why = "it is longer than 253 characters"; return false; }
            return true;
        }
        catch (ArgumentException)
        {
            why = "an empty label, a label over 63 characters, or a character other than letters, digits, '-' and '.'";
            return false;
        }
    }
}
