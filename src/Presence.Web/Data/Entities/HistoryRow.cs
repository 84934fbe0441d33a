namespace Presence.Web.Data.Entities;

/// <summary>
/// One change of a user's protocol status or overall state (table <c>History</c>, append-only, indexed by user and
/// time; docs/ARCHITECTURE.md §3). Protocol <c>overall</c> rows record the derived overall state.
/// </summary>
public sealed class HistoryRow
{
    /// <summary>Row id (increasing with insertion).</summary>
    public long Id { get; set; }

    /// <summary>Normalised bare JID.</summary>
    public string UserId { get; set; } = "";

    /// <summary>When the change happened (UTC).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Protocol name, or <c>overall</c>.</summary>
    public string Protocol { get; set; } = "";

    /// <summary>Unified state wire name after the change.</summary>
    public string State { get; set; } = "";

    /// <summary>XMPP show after the change, or <c>null</c>.</summary>
    public string? Show { get; set; }

    /// <summary>Message after the change (empty for overall rows).</summary>
    public string Message { get; set; } = "";

    /// <summary>XEP-0310 annotation kind after the change, or <c>null</c> (cleared).</summary>
    public string? AnnotationKind { get; set; }

    /// <summary>The annotating entity's JID.</summary>
    public string? AnnotationFrom { get; set; }

    /// <summary>Annotation description.</summary>
    public string? AnnotationDescription { get; set; }

    /// <summary>Cause wire name (<c>api</c>, <c>xmpp-presence</c>, <c>expiry</c>, …).</summary>
    public string Cause { get; set; } = "";
}
