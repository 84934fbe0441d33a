namespace Presence.Domain.Model;

/// <summary>One available XMPP resource of a user (RFC 6121 §4.7: show, status, priority).</summary>
/// <param name="Resource">The resource part of the full JID (may be empty for a bare-JID session).</param>
/// <param name="Show">Availability of the resource.</param>
/// <param name="Priority">Priority, −128..127 (RFC 6121 §4.7.2.3).</param>
/// <param name="Message">Status text (<c>&lt;status/&gt;</c>), empty when none.</param>
/// <param name="Since">When show, priority or message last changed (UTC); the most recent wins ties of priority and show.</param>
/// <param name="Ip">Session IP address from the server's admin commands (XEP-0133), when known.</param>
/// <param name="Hostname">Reverse DNS name of <paramref name="Ip"/>, when known.</param>
/// <param name="Annotation">XEP-0310 annotation of this resource (e.g. connection-paused), or <c>null</c>.</param>
public sealed record ResourcePresence(
    string Resource,
    XmppShow Show,
    int Priority,
    string Message,
    DateTimeOffset Since,
    string? Ip = null,
    string? Hostname = null,
    StateAnnotation? Annotation = null)
{
    /// <summary>Lowest priority (RFC 6121 §4.7.2.3).</summary>
    public const int MinPriority = -128;

    /// <summary>Highest priority (RFC 6121 §4.7.2.3).</summary>
    public const int MaxPriority = 127;

    /// <summary>
    /// Orders resources best first, the order that decides the user's XMPP status (docs/ARCHITECTURE.md §3, RFC 6121 §4.7.2.3):
    /// highest priority, then the more available show (chat, online, dnd, away, xa), then the most recent change, then
    /// the resource name (ordinal) so the order is total.
    /// </summary>
    public static readonly Comparison<ResourcePresence> BestFirst = static (a, b) =>
    {
        var c = b.Priority.CompareTo(a.Priority);
        if (c != 0) return c;
        c = b.Show.CompareTo(a.Show);
        if (c != 0) return c;
        c = b.Since.CompareTo(a.Since);
        return c != 0 ? c : string.CompareOrdinal(a.Resource, b.Resource);
    };

    /// <summary>Unified state of <see cref="Show"/>.</summary>
    public PresenceState State => Show.ToState();
}
