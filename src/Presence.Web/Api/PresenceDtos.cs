using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;

namespace Presence.Web.Api;

/// <summary>A user's presence in REST v1 (docs/ARCHITECTURE.md §8).</summary>
/// <param name="User">Normalised bare JID.</param>
/// <param name="Overall">Derived overall state: <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c>.</param>
/// <param name="LastChange">Last change (ISO 8601 UTC), or <c>null</c> for an unknown user.</param>
/// <param name="Protocols">Per-protocol status by protocol name (<c>xmpp</c>, <c>spreed</c>, …).</param>
public sealed record UserPresenceDto(string User, string Overall, DateTimeOffset? LastChange, Dictionary<string, ProtocolStatusDto> Protocols)
{
    /// <summary>The DTO of a presence.</summary>
    public static UserPresenceDto From(UserPresence p)
    {
        var protocols = new Dictionary<string, ProtocolStatusDto>(p.Protocols.Length, StringComparer.Ordinal);
        foreach (var s in p.Protocols) protocols[s.Protocol] = ProtocolStatusDto.From(s);
        return new UserPresenceDto(p.User.Value, p.Overall.ToWire(), p.LastChange, protocols);
    }

    /// <summary>The DTO of a user nothing is known about (overall unavailable, no protocols).</summary>
    public static UserPresenceDto Unknown(UserId user) => new(user.Value, "unavailable", null, []);
}

/// <summary>One protocol's status in REST v1.</summary>
/// <param name="Status">Unified state.</param>
/// <param name="Show">XMPP only: the winning resource's show (<c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>); omitted otherwise.</param>
/// <param name="Message">Status message.</param>
/// <param name="Since">When state, show or message last changed (UTC).</param>
/// <param name="Annotation">XEP-0310 annotation, or <c>null</c> when current.</param>
/// <param name="Resources">XMPP only: available resources, best first; omitted otherwise.</param>
public sealed record ProtocolStatusDto(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Show,
    string Message,
    DateTimeOffset Since,
    AnnotationDto? Annotation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<ResourceDto>? Resources)
{
    /// <summary>The DTO of a status.</summary>
    public static ProtocolStatusDto From(ProtocolStatus s)
    {
        var xmpp = s.Protocol == Protocols.Xmpp;
        return new ProtocolStatusDto(s.State.ToWire(), xmpp ? s.Show?.ToStatusText() : null, s.Message, s.Since,
            AnnotationDto.Of(s.Annotation), xmpp ? [.. s.Resources.Select(ResourceDto.From)] : null);
    }
}

/// <summary>An XMPP resource in REST v1 (RFC 6121 §4.7).</summary>
/// <param name="Resource">Resource part of the full JID.</param>
/// <param name="Show">Show: <c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>.</param>
/// <param name="Priority">Priority −128..127.</param>
/// <param name="Message">Status text.</param>
/// <param name="Ip">Session IP, when known.</param>
/// <param name="Hostname">Reverse DNS of the IP, when known.</param>
/// <param name="Annotation">XEP-0310 annotation or <c>null</c>.</param>
public sealed record ResourceDto(string Resource, string Show, int Priority, string Message, string? Ip, string? Hostname, AnnotationDto? Annotation)
{
    /// <summary>The DTO of a resource.</summary>
    public static ResourceDto From(ResourcePresence r) =>
        new(r.Resource, r.Show.ToStatusText(), r.Priority, r.Message, r.Ip, r.Hostname, AnnotationDto.Of(r.Annotation));
}

/// <summary>An XEP-0310 presence state annotation.</summary>
/// <param name="Kind"><c>server-unavailable</c> or <c>connection-paused</c>.</param>
/// <param name="From">The annotating entity (the component JID).</param>
/// <param name="Description">Optional detail.</param>
/// <param name="Since">When the doubt started (UTC); omitted in history entries.</param>
public sealed record AnnotationDto(string Kind, string From, string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Since)
{
    /// <summary>The DTO of an annotation, or <c>null</c>.</summary>
    public static AnnotationDto? Of(StateAnnotation? a) => a is null ? null : new AnnotationDto(a.KindName, a.From, a.Description, a.Since);
}

/// <summary>A history entry (docs/ARCHITECTURE.md §8), newest first in lists.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Protocol">Protocol, or <c>overall</c>.</param>
/// <param name="Status">State after the change.</param>
/// <param name="Show">XMPP show after the change, or <c>null</c>.</param>
/// <param name="Message">Message after the change.</param>
/// <param name="Annotation">Annotation after the change, or <c>null</c> (cleared).</param>
/// <param name="Cause">Why: <c>api</c>, <c>xmpp-presence</c>, <c>expiry</c>, <c>link-loss</c>, <c>ping-timeout</c>, <c>remote-server-error</c>, <c>restore</c>.</param>
public sealed record HistoryEntryDto(DateTimeOffset At, string Protocol, string Status, string? Show, string Message, AnnotationDto? Annotation, string Cause)
{
    /// <summary>The DTO of a history row.</summary>
    public static HistoryEntryDto From(HistoryRow h) => new(
        h.At, h.Protocol, h.State, h.Show, h.Message,
        h.AnnotationKind is null ? null : new AnnotationDto(h.AnnotationKind, h.AnnotationFrom ?? "", h.AnnotationDescription, null), h.Cause);
}

/// <summary>Body of <c>PUT /api/v1/presence/{user}/{protocol}</c>.</summary>
/// <param name="Status">Required: <c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c>.</param>
/// <param name="Message">Optional status message (empty when absent).</param>
public sealed record SetStatusRequest(string? Status, string? Message);

/// <summary>JSON source generation for the API (camelCase, ISO 8601 dates).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserPresenceDto))]
[JsonSerializable(typeof(List<UserPresenceDto>))]
[JsonSerializable(typeof(List<HistoryEntryDto>))]
[JsonSerializable(typeof(SetStatusRequest))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(PublicHealthDto))]
public sealed partial class PresenceJsonContext : JsonSerializerContext;
