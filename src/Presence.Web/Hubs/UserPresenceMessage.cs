using System.Text.Json.Serialization;
using Presence.Domain.Model;

namespace Presence.Web.Hubs;

/// <summary>
/// A user's presence on the wire, the REST v1 shape of DESIGN §5:
/// <c>{"user", "overall", "lastChange", "protocols": {"xmpp": {...}, "spreed": {...}}}</c>.
/// Times are ISO 8601 UTC; state names are <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c>.
/// </summary>
/// <param name="User">Normalised bare JID.</param>
/// <param name="Overall">Derived overall state (busy &gt; available &gt; away &gt; unavailable).</param>
/// <param name="LastChange">Time of the last change (UTC); <c>null</c> for a user the service has never seen.</param>
/// <param name="Protocols">Per-protocol statuses keyed by protocol name (<c>xmpp</c>, <c>spreed</c>, …).</param>
public sealed record UserPresenceMessage(
    string User,
    string Overall,
    DateTimeOffset? LastChange,
    IReadOnlyDictionary<string, ProtocolStatusMessage> Protocols)
{
    /// <summary>Maps a domain presence to its wire shape.</summary>
    public static UserPresenceMessage Create(UserPresence presence)
    {
        var protocols = new Dictionary<string, ProtocolStatusMessage>(presence.Protocols.Length, StringComparer.Ordinal);
        foreach (var p in presence.Protocols) protocols[p.Protocol] = ProtocolStatusMessage.Create(p);
        return new UserPresenceMessage(presence.User.Value, presence.Overall.ToWire(), presence.LastChange, protocols);
    }

    /// <summary>The shape of a user the service knows nothing about: overall unavailable, no protocols.</summary>
    public static UserPresenceMessage Unknown(UserId user) =>
        new(user.Value, PresenceState.Unavailable.ToWire(), null, new Dictionary<string, ProtocolStatusMessage>());
}

/// <summary>One protocol's status on the wire (DESIGN §5); <c>show</c> and <c>resources</c> only for XMPP.</summary>
/// <param name="Status">Unified state name.</param>
/// <param name="Show">XMPP show of the winning resource (<c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>); omitted for other protocols.</param>
/// <param name="Message">Status message, empty when none.</param>
/// <param name="Since">When state, show or message last changed (UTC).</param>
/// <param name="Annotation">XEP-0310 annotation, or <c>null</c> when the status is current.</param>
/// <param name="Resources">XMPP resources, best first; omitted for other protocols.</param>
public sealed record ProtocolStatusMessage(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Show,
    string Message,
    DateTimeOffset Since,
    AnnotationMessage? Annotation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ResourceMessage>? Resources)
{
    /// <summary>Maps a domain protocol status.</summary>
    public static ProtocolStatusMessage Create(ProtocolStatus status)
    {
        var xmpp = status.Protocol == Domain.Model.Protocols.Xmpp;
        return new ProtocolStatusMessage(
            status.State.ToWire(),
            xmpp ? status.Show?.ToStatusText() : null,
            status.Message,
            status.Since,
            AnnotationMessage.Create(status.Annotation),
            xmpp ? [.. status.Resources.Select(ResourceMessage.Create)] : null);
    }
}

/// <summary>One XMPP resource on the wire (RFC 6121 §4.7: show, priority, status text).</summary>
/// <param name="Resource">Resource part of the full JID.</param>
/// <param name="Show"><c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c> or <c>dnd</c>.</param>
/// <param name="Priority">−128..127.</param>
/// <param name="Message">Status text.</param>
/// <param name="Ip">Session IP, or <c>null</c> when unknown.</param>
/// <param name="Hostname">Reverse DNS of the IP, or <c>null</c>.</param>
/// <param name="Annotation">XEP-0310 annotation of the resource, or <c>null</c>.</param>
public sealed record ResourceMessage(string Resource, string Show, int Priority, string Message, string? Ip, string? Hostname, AnnotationMessage? Annotation)
{
    /// <summary>Maps a domain resource.</summary>
    public static ResourceMessage Create(ResourcePresence r) =>
        new(r.Resource, r.Show.ToStatusText(), r.Priority, r.Message, r.Ip, r.Hostname, AnnotationMessage.Create(r.Annotation));
}

/// <summary>An XEP-0310 annotation on the wire.</summary>
/// <param name="Kind"><c>server-unavailable</c> or <c>connection-paused</c> (XEP-0310 §4).</param>
/// <param name="From">Annotating entity's JID.</param>
/// <param name="Description">Optional detail.</param>
/// <param name="Since">When the doubt started (UTC).</param>
public sealed record AnnotationMessage(string Kind, string From, string? Description, DateTimeOffset Since)
{
    /// <summary>Maps a domain annotation; <c>null</c> stays <c>null</c>.</summary>
    public static AnnotationMessage? Create(StateAnnotation? a) => a is null ? null : new(a.KindName, a.From, a.Description, a.Since);
}
