using System.Collections.Immutable;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data;

/// <summary>Converts between the domain's <see cref="UserPresence"/> and the current-state rows (docs/ARCHITECTURE.md §6).</summary>
internal static class PresenceRowMapper
{
    /// <summary>
    /// Rebuilds a user's presence from its rows. Unknown state, show or annotation names (written by a newer version)
    /// fall back to unavailable / online / no annotation rather than failing the start.
    /// </summary>
    /// <param name="user">The user row.</param>
    /// <param name="protocols">The user's protocol status rows.</param>
    /// <param name="resources">The user's XMPP resource rows.</param>
    /// <returns>The presence, protocols ordered by name, resources best first (docs/ARCHITECTURE.md §3).</returns>
    public static UserPresence ToDomain(UserRow user, IEnumerable<ProtocolStatusRow> protocols, IEnumerable<XmppResourceRow> resources)
    {
        var id = UserId.Parse(user.Id);
        var resourceList = resources.Select(ToDomain).ToArray();
        Array.Sort(resourceList, ResourcePresence.BestFirst);
        var statuses = protocols
            .OrderBy(p => p.Protocol, StringComparer.Ordinal)
            .Select(p =>
            {
                PresenceStates.TryParse(p.State, out var state);
                XmppShow? show = p.Show is not null && XmppShows.TryParse(p.Show, out var s) ? s : null;
                var isXmpp = p.Protocol == Protocols.Xmpp;
                return new ProtocolStatus(p.Protocol, state, p.Message, p.Since,
                    Annotation(p.AnnotationKind, p.AnnotationFrom, p.AnnotationDescription, p.AnnotationSince),
                    isXmpp ? show : null, isXmpp ? [.. resourceList] : [], Protocols.IsReserved(p.Protocol) ? p.Until : null);
            })
            .ToImmutableArray();
        var presence = new UserPresence(id, statuses, user.LastChange) { OverallSince = user.OverallSince ?? user.LastChange, LastSeen = user.LastSeen };
        // A row kept before LastSeen was: a user who is not unavailable was seen at the last change.
        return presence.LastSeen is null && presence.Overall != PresenceState.Unavailable ? presence with { LastSeen = user.LastChange } : presence;
    }

    /// <summary>The user row of a presence.</summary>
    public static UserRow ToRow(UserPresence user) => new()
    {
        Id = user.User.Value, LastChange = user.LastChange, OverallSince = user.OverallSince, LastSeen = user.LastSeen,
    };

    /// <summary>The state written in history rows of a cleared reserved pseudo protocol (preferred presence, status message).</summary>
    public const string ClearedState = "cleared";

    /// <summary>
    /// The history row of a cleared reserved pseudo protocol (<paramref name="protocol"/> <c>preferred</c> or
    /// <c>status-message</c>): state <see cref="ClearedState"/>, no message.
    /// </summary>
    public static HistoryRow ToClearedHistoryRow(UserId user, string protocol, DateTimeOffset at, ChangeCause cause) => new()
    {
        UserId = user.Value, At = at, Protocol = protocol, State = ClearedState, Message = "", Cause = cause.ToWire(),
    };

    /// <summary>
    /// The history row of a protocol status after a change (<paramref name="at"/>, <paramref name="cause"/>), with the
    /// same state, show, message and annotation columns as <see cref="ToRow(UserId, ProtocolStatus)"/>.
    /// </summary>
    public static HistoryRow ToHistoryRow(UserId user, ProtocolStatus p, DateTimeOffset at, ChangeCause cause)
    {
        var row = ToRow(user, p);
        return new HistoryRow
        {
            UserId = row.UserId, At = at, Protocol = row.Protocol, State = row.State, Show = row.Show, Message = row.Message,
            AnnotationKind = row.AnnotationKind, AnnotationFrom = row.AnnotationFrom, AnnotationDescription = row.AnnotationDescription,
            Cause = cause.ToWire(),
        };
    }

    /// <summary>The history row of a user's overall state after a change (protocol <c>overall</c>, no message).</summary>
    public static HistoryRow ToOverallHistoryRow(UserPresence user, DateTimeOffset at, ChangeCause cause) => new()
    {
        UserId = user.User.Value, At = at, Protocol = Protocols.Overall, State = user.Overall.ToWire(), Message = "", Cause = cause.ToWire(),
    };

    /// <summary>Protocol status rows of a presence (one per protocol).</summary>
    public static ProtocolStatusRow ToRow(UserId user, ProtocolStatus p) => new()
    {
        UserId = user.Value,
        Protocol = p.Protocol,
        State = p.State.ToWire(),
        Show = p.Show?.ToStatusText(),
        Message = p.Message,
        Since = p.Since,
        AnnotationKind = p.Annotation?.KindName,
        AnnotationFrom = p.Annotation?.From,
        AnnotationDescription = p.Annotation?.Description,
        AnnotationSince = p.Annotation is null ? null : p.Annotation.Since,
        Until = p.Until,
    };

    /// <summary>The XMPP resource row of a resource.</summary>
    public static XmppResourceRow ToRow(UserId user, ResourcePresence r) => new()
    {
        UserId = user.Value,
        Resource = r.Resource,
        Show = r.Show.ToStatusText(),
        Priority = r.Priority,
        Message = r.Message,
        Since = r.Since,
        Ip = r.Ip,
        Hostname = r.Hostname,
        AnnotationKind = r.Annotation?.KindName,
        AnnotationFrom = r.Annotation?.From,
        AnnotationDescription = r.Annotation?.Description,
        AnnotationSince = r.Annotation is null ? null : r.Annotation.Since,
    };

    private static ResourcePresence ToDomain(XmppResourceRow r)
    {
        XmppShows.TryParse(r.Show, out var show);
        return new ResourcePresence(r.Resource, show, r.Priority, r.Message, r.Since, r.Ip, r.Hostname,
            Annotation(r.AnnotationKind, r.AnnotationFrom, r.AnnotationDescription, r.AnnotationSince));
    }

    private static StateAnnotation? Annotation(string? kind, string? from, string? description, DateTimeOffset? since) =>
        kind is not null && AnnotationKinds.TryParse(kind, out var k)
            ? new StateAnnotation(k, from ?? "", description, since ?? DateTimeOffset.UnixEpoch)
            : null;
}
