using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>
/// One user as the board shows it: an immutable projection of <see cref="UserPresence"/> with the values the board
/// sorts, filters and searches on computed once.
/// </summary>
public sealed class BoardRow
{
    private BoardRow(UserPresence presence)
    {
        Presence = presence;
        User = presence.User.Value;
        Overall = presence.Overall;
        LastChange = presence.LastChange;
        ResourceCount = presence.Get(Domain.Model.Protocols.Xmpp)?.Resources.Length ?? 0;
        Protocols = [.. presence.UserProtocols];
        foreach (var p in presence.Protocols)
        {
            if (p.Annotation is { } a && (Annotation is null || a.Since < Annotation.Since)) Annotation = a;
        }
        SearchText = BuildSearchText(presence);
    }

    /// <summary>The presence the row shows.</summary>
    public UserPresence Presence { get; }

    /// <summary>The user's bare JID (normalised).</summary>
    public string User { get; }

    /// <summary>Derived overall state (docs/ARCHITECTURE.md §3 precedence).</summary>
    public PresenceState Overall { get; }

    /// <summary>Per-protocol statuses, ordered by protocol name (without the preferred presence and status message).</summary>
    public IReadOnlyList<ProtocolStatus> Protocols { get; }

    /// <summary>Number of available XMPP resources.</summary>
    public int ResourceCount { get; }

    /// <summary>The oldest XEP-0310 annotation of any protocol, or <c>null</c> when every status is current.</summary>
    public StateAnnotation? Annotation { get; }

    /// <summary>True when a status of the user may be stale (annotated).</summary>
    public bool IsStale => Annotation is not null;

    /// <summary>Time of the user's last change (UTC).</summary>
    public DateTimeOffset LastChange { get; }

    /// <summary>Lower-case text searched by <see cref="BoardQuery.Search"/>: user id, states, show values and messages.</summary>
    internal string SearchText { get; }

    /// <summary>Projects a user's presence into a row.</summary>
    public static BoardRow From(UserPresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        return new BoardRow(presence);
    }

    private static string BuildSearchText(UserPresence presence)
    {
        var parts = new List<string>(1 + presence.Protocols.Length * 2) { presence.User.Value };
        foreach (var p in presence.Protocols)
        {
            if (p.Message.Length > 0) parts.Add(p.Message.ToLowerInvariant());
            foreach (var r in p.Resources)
            {
                if (r.Message.Length > 0 && r.Message != p.Message) parts.Add(r.Message.ToLowerInvariant());
            }
        }
        return string.Join('\n', parts);
    }
}
