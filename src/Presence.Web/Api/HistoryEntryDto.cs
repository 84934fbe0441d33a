using Presence.Web.Data.Entities;

namespace Presence.Web.Api;

/// <summary>A history entry (docs/ARCHITECTURE.md §8), newest first in lists.</summary>
/// <param name="At">When (UTC).</param>
/// <param name="Protocol">Protocol, or <c>overall</c>.</param>
/// <param name="Show">XMPP show after the change, or <c>null</c>.</param>
/// <param name="Message">Message after the change.</param>
/// <param name="Annotation">Annotation after the change, or <c>null</c> (cleared).</param>
/// <param name="Status">State after the change; <c>cleared</c> when a preferred presence or status message ended.</param>
/// <param name="Cause">Why: <c>api</c>, <c>xmpp-presence</c>, <c>expiry</c>, <c>link-loss</c>, <c>ping-timeout</c>, <c>remote-server-error</c>, <c>restore</c>.</param>
internal sealed record HistoryEntryDto(DateTimeOffset At, string Protocol, string Status, string? Show, string Message, AnnotationDto? Annotation, string Cause)
{
    /// <summary>The DTO of a history row.</summary>
    public static HistoryEntryDto From(HistoryRow h) => new(
        h.At, h.Protocol, h.State, h.Show, h.Message,
        h.AnnotationKind is null ? null : new AnnotationDto(h.AnnotationKind, h.AnnotationFrom ?? "", h.AnnotationDescription, null), h.Cause);
}
