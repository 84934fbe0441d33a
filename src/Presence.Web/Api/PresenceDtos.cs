using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;

namespace Presence.Web.Api;

/// <summary>
/// A user's presence in REST v1 (DESIGN §5); the REST GETs and the hub's snapshots and <c>PresenceChanged</c> share it.
/// </summary>
/// <param name="User">Normalised bare JID.</param>
/// <param name="Overall">Derived overall state: <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c> — the
/// preferred presence while one is set, otherwise computed from the protocols.</param>
/// <param name="LastChange">Last change (ISO 8601 UTC), or <c>null</c> for an unknown user.</param>
/// <param name="Protocols">Per-protocol status by protocol name (<c>xmpp</c>, <c>spreed</c>, …); the preferred presence
/// and the status message are not listed here.</param>
/// <param name="Preferred">The presence the user set (Microsoft Graph setUserPreferredPresence), or <c>null</c>.</param>
/// <param name="StatusMessage">The user's status message (Microsoft Graph presence statusMessage), or <c>null</c>.</param>
/// <param name="Since">When the current overall state began (UTC), or <c>null</c> for an unknown user.</param>
/// <param name="LastSeen">The last moment the overall state was not unavailable (UTC; while it is not unavailable, the
/// time of the latest change), or <c>null</c> when never seen.</param>
/// <param name="AvailableAgainAt">The preferred presence's end (UTC) while it is <c>busy</c>, <c>away</c> or
/// <c>unavailable</c>, else <c>null</c>.</param>
public sealed record UserPresenceDto(string User, string Overall, DateTimeOffset? LastChange, Dictionary<string, ProtocolStatusDto> Protocols,
    PreferredPresenceDto? Preferred = null, StatusMessageDto? StatusMessage = null, DateTimeOffset? Since = null, DateTimeOffset? LastSeen = null,
    DateTimeOffset? AvailableAgainAt = null)
{
    /// <summary>The DTO of a presence.</summary>
    public static UserPresenceDto From(UserPresence p)
    {
        var protocols = new Dictionary<string, ProtocolStatusDto>(p.Protocols.Length, StringComparer.Ordinal);
        foreach (var s in p.UserProtocols) protocols[s.Protocol] = ProtocolStatusDto.From(s);
        var preferred = p.Preferred;
        var message = p.StatusMessage;
        return new UserPresenceDto(p.User.Value, p.Overall.ToWire(), p.LastChange, protocols,
            preferred is null ? null : new PreferredPresenceDto(preferred.State.ToWire(), preferred.Message, preferred.Until),
            message is null ? null : new StatusMessageDto(message.Message, message.Until, message.Since),
            p.OverallSince, p.LastSeen,
            preferred is { State: not PresenceState.Available } ? preferred.Until : null);
    }

    /// <summary>The DTO of a user nothing is known about (overall unavailable, no protocols).</summary>
    public static UserPresenceDto Unknown(UserId user) => new(user.Value, "unavailable", null, []);
}

/// <summary>The presence a user set themselves (REST v1 <c>preferred</c>).</summary>
/// <param name="Status"><c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c> (appear offline).</param>
/// <param name="Message">Message given with it, empty when none.</param>
/// <param name="Until">When it ends (UTC).</param>
public sealed record PreferredPresenceDto(string Status, string Message, DateTimeOffset? Until);

/// <summary>A user's status message (REST v1 <c>statusMessage</c>).</summary>
/// <param name="Message">The text.</param>
/// <param name="Until">When it ends (UTC), or <c>null</c> when it lasts until cleared.</param>
/// <param name="Published">When it was set (UTC).</param>
public sealed record StatusMessageDto(string Message, DateTimeOffset? Until, DateTimeOffset Published);

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

/// <summary>A history entry (DESIGN §5), newest first in lists.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Protocol">Protocol, or <c>overall</c>.</param>
/// <param name="Show">XMPP show after the change, or <c>null</c>.</param>
/// <param name="Message">Message after the change.</param>
/// <param name="Annotation">Annotation after the change, or <c>null</c> (cleared).</param>
/// <param name="Status">State after the change; <c>cleared</c> when a preferred presence or status message ended.</param>
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

/// <summary>Body of <c>PUT /api/v1/presence/{user}/preferred</c>.</summary>
/// <param name="Status">Required: <c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c> (appear offline).</param>
/// <param name="Message">Optional message, at most <c>Presence:Api:MaxMessageLength</c> characters.</param>
/// <param name="Until">Optional end, ISO 8601 with offset (e.g. <c>2026-12-08T14:00:00Z</c>), in the future and within
/// <c>Presence:Preferred:MaxDuration</c>; default 1 day for busy, 7 days otherwise (capped by the maximum).</param>
public sealed record SetPreferredRequest(string? Status, string? Message, string? Until);

/// <summary>Body of <c>PUT /api/v1/presence/{user}/status-message</c>.</summary>
/// <param name="Message">Required, 1 to <c>Presence:Api:MaxMessageLength</c> characters.</param>
/// <param name="Until">Optional end, ISO 8601 with offset, in the future; without it the message lasts until DELETE.</param>
public sealed record SetStatusMessageRequest(string? Message, string? Until);

/// <summary>JSON source generation for the API (camelCase, ISO 8601 dates).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserPresenceDto))]
[JsonSerializable(typeof(List<UserPresenceDto>))]
[JsonSerializable(typeof(List<HistoryEntryDto>))]
[JsonSerializable(typeof(SetStatusRequest))]
[JsonSerializable(typeof(SetPreferredRequest))]
[JsonSerializable(typeof(SetStatusMessageRequest))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(PublicHealthDto))]
public sealed partial class PresenceJsonContext : JsonSerializerContext;
