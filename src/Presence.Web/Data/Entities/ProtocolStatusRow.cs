namespace Presence.Web.Data.Entities;

/// <summary>
/// A user's current status in one protocol (table <c>ProtocolStatuses</c>, key user + protocol). The XEP-0310
/// annotation is flattened into nullable columns (<see cref="AnnotationKind"/> <c>null</c> = not annotated).
/// </summary>
public sealed class ProtocolStatusRow
{
    /// <summary>Normalised bare JID.</summary>
    public string UserId { get; set; } = "";

    /// <summary>Protocol name (<c>xmpp</c>, <c>spreed</c>, …).</summary>
    public string Protocol { get; set; } = "";

    /// <summary>Unified state wire name: <c>available</c>, <c>busy</c>, <c>away</c>, <c>unavailable</c>.</summary>
    public string State { get; set; } = "unavailable";

    /// <summary>XMPP only: the winning resource's show (<c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>), else <c>null</c>.</summary>
    public string? Show { get; set; }

    /// <summary>Status message, empty when none.</summary>
    public string Message { get; set; } = "";

    /// <summary>When state, show or message last changed (UTC).</summary>
    public DateTimeOffset Since { get; set; }

    /// <summary>XEP-0310 kind (<c>server-unavailable</c>, <c>connection-paused</c>) or <c>null</c>.</summary>
    public string? AnnotationKind { get; set; }

    /// <summary>The annotating entity's JID.</summary>
    public string? AnnotationFrom { get; set; }

    /// <summary>Annotation description.</summary>
    public string? AnnotationDescription { get; set; }

    /// <summary>When the doubt started (UTC).</summary>
    public DateTimeOffset? AnnotationSince { get; set; }

    /// <summary>
    /// Reserved pseudo protocols only (<c>preferred</c>, <c>status-message</c>): when the status ends (UTC), or
    /// <c>null</c> for no end; always <c>null</c> for other protocols.
    /// </summary>
    public DateTimeOffset? Until { get; set; }
}
