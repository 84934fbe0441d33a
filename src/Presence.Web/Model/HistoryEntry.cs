using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>One history entry as the user page shows it.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Protocol">Protocol name, or <c>overall</c>.</param>
/// <param name="State">State after the change.</param>
/// <param name="Show">XMPP show, or <c>null</c>.</param>
/// <param name="Message">Message after the change.</param>
/// <param name="Annotation">Annotation kind (<c>server-unavailable</c>, <c>connection-paused</c>) or <c>null</c>.</param>
/// <param name="AnnotationDescription">Annotation description, or <c>null</c>.</param>
/// <param name="Cause">Cause wire name (<c>api</c>, <c>xmpp-presence</c>, …).</param>
/// <param name="Cleared">True when a preferred presence or status message ended (history state <c>cleared</c>; <paramref name="State"/> is then meaningless).</param>
public sealed record HistoryEntry(DateTimeOffset At, string Protocol, PresenceState State, string? Show, string Message, string? Annotation, string? AnnotationDescription, string Cause,
    bool Cleared = false);
