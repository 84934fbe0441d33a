namespace Presence.Domain.Tracking;

/// <summary>
/// Bounds on one user's state that the <see cref="PresenceTracker"/> enforces whatever the source (API, XMPP
/// component, restore excepted), so that one user's traffic cannot grow memory without bound (issue 9 §3).
/// </summary>
/// <param name="MaxResourcesPerUser">
/// Most XMPP resources kept per user, 1..10,000 (default 64). An available presence from a further resource is
/// ignored (the user's existing resources and status stay as they are) and counted in
/// <see cref="PresenceTracker.ResourcesRefused"/>.
/// </param>
/// <param name="MaxMessageLength">
/// Longest status message kept, in UTF-16 characters, 0..10,000 (default 1,024). The API refuses longer messages
/// (400); an XMPP <c>&lt;status/&gt;</c> (RFC 6121 §4.7.2.2), which cannot be refused, is cut to this length.
/// </param>
public sealed record PresenceLimits(int MaxResourcesPerUser = 64, int MaxMessageLength = 1024)
{
    /// <summary>The defaults (64 resources, 1,024 characters).</summary>
    public static PresenceLimits Default { get; } = new();

    /// <summary><paramref name="message"/> cut to <see cref="MaxMessageLength"/> (never splitting a surrogate pair).</summary>
    public string Cut(string message)
    {
        if (message.Length <= MaxMessageLength) return message;
        var n = MaxMessageLength;
        if (n > 0 && char.IsHighSurrogate(message[n - 1])) n--;
        return message[..n];
    }
}
