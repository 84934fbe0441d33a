using System.Globalization;
using System.Text;

namespace Presence.Domain.Model;

/// <summary>
/// A user's identity: a normalised bare JID <c>local@domain</c> (RFC 7622 §3, without resource).
/// The local part is lower-cased (invariant culture); the domain is lower-cased and IDN-normalised
/// through <see cref="IdnMapping"/> (kept in its Unicode form). Parts are limited to 1023 UTF-8 bytes
/// (RFC 7622 §3.1), domain labels to 63 bytes in their ASCII (punycode) form.
/// Characters that PRECIS (RFC 8264 §9, used by RFC 7622 §3.3) disallows because they are invisible or change how
/// text around them is displayed are refused in both parts: controls, format characters (bidi controls such as
/// U+202E, zero-width joiners, soft hyphen, BOM), default-ignorable code points, spaces, line and paragraph
/// separators, lone surrogates, private-use, unassigned and non-characters (see <see cref="PrecisCharacters"/>).
/// Look-alikes from different scripts (Latin "a" and Cyrillic "а") are valid and stay different ids.
/// </summary>
public sealed class UserId : IEquatable<UserId>, IComparable<UserId>
{
    /// <summary>Maximum length of a JID part in UTF-8 bytes (RFC 7622 §3.1).</summary>
    public const int MaxPartBytes = 1023;

    // RFC 7622 §3.3.1 / XEP-0106: characters that may not appear in a localpart.
    private const string ForbiddenLocalChars = "\"&'/:<>@";
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    private UserId(string local, string domain)
    {
        Local = local;
        Domain = domain;
        Value = local + "@" + domain;
    }

    /// <summary>The normalised local part (before <c>@</c>).</summary>
    public string Local { get; }

    /// <summary>The normalised domain part (after <c>@</c>), Unicode form.</summary>
    public string Domain { get; }

    /// <summary>The normalised bare JID, <c>local@domain</c>.</summary>
    public string Value { get; }

    /// <summary>Parses and normalises a bare JID.</summary>
    /// <param name="text">A bare JID such as <c>Alice@Example.COM</c>.</param>
    /// <returns>The normalised id (<c>alice@example.com</c>).</returns>
    /// <exception cref="InvalidUserIdException">The text is not a valid bare JID; the message says why.</exception>
    public static UserId Parse(string? text) =>
        TryParse(text, out var id, out var error) ? id : throw new InvalidUserIdException(text, error);

    /// <summary>Parses and normalises a bare JID without throwing.</summary>
    /// <param name="text">Candidate bare JID.</param>
    /// <param name="id">The normalised id when valid.</param>
    /// <param name="error">Why the text was refused, when invalid (one sentence naming the problem).</param>
    /// <returns><c>true</c> when <paramref name="text"/> is a valid bare JID.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UserId? id,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        id = null;
        if (string.IsNullOrEmpty(text)) { error = "the user id is empty; expected local@domain"; return false; }
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { error = "the user id contains whitespace"; return false; }
            if (char.IsControl(c)) { error = "the user id contains a control character"; return false; }
        }
        if (PrecisCharacters.FindDisallowed(text) is { } bad) { error = $"the user id contains {bad}, which is not allowed in a JID (RFC 7622 §3.3, RFC 8264)"; return false; }
        if (text.Contains('/')) { error = "the user id contains a resource ('/'); expected a bare JID local@domain"; return false; }
        var at = text.IndexOf('@');
        if (at < 0) { error = "the user id has no '@'; expected local@domain"; return false; }
        if (text.IndexOf('@', at + 1) >= 0) { error = "the user id contains more than one '@'"; return false; }
        var local = text[..at];
        var domain = text[(at + 1)..];
        if (local.Length == 0) { error = "the user id has an empty local part (before '@')"; return false; }
        if (domain.Length == 0) { error = "the user id has an empty domain (after '@')"; return false; }
        foreach (var c in local)
        {
            if (ForbiddenLocalChars.Contains(c)) { error = $"the local part contains the forbidden character '{c}'"; return false; }
        }
        local = local.Normalize(NormalizationForm.FormC).ToLowerInvariant();
        if (Encoding.UTF8.GetByteCount(local) > MaxPartBytes) { error = $"the local part is longer than {MaxPartBytes} bytes"; return false; }
        if (Encoding.UTF8.GetByteCount(domain) > MaxPartBytes) { error = $"the domain is longer than {MaxPartBytes} bytes"; return false; }
        if (domain.EndsWith('.')) domain = domain[..^1]; // RFC 7622 §3.2: a trailing dot is stripped
        string ascii;
        try
        {
            ascii = Idn.GetAscii(domain);
        }
        catch (ArgumentException)
        {
            error = $"the domain '{domain}' is not a valid domain name (empty label, label over 63 characters or a forbidden character)";
            return false;
        }
        var unicode = Idn.GetUnicode(ascii).ToLowerInvariant();
        id = new UserId(local, unicode);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public bool Equals(UserId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is UserId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public int CompareTo(UserId? other) => other is null ? 1 : string.CompareOrdinal(Value, other.Value);

    /// <summary>The normalised bare JID.</summary>
    public override string ToString() => Value;

    /// <summary>Equality by normalised value.</summary>
    public static bool operator ==(UserId? a, UserId? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality by normalised value.</summary>
    public static bool operator !=(UserId? a, UserId? b) => !(a == b);
}
