namespace Presence.Domain.Model;

/// <summary>
/// An XEP-0310 presence state annotation as data. "Cleared" is the absence of an annotation
/// (an empty <c>&lt;state-annotation/&gt;</c> on the wire).
/// </summary>
/// <param name="Kind">Reason for the doubt.</param>
/// <param name="From">The annotating entity's JID (the component, e.g. <c>pubpresence.example.com</c>).</param>
/// <param name="Description">Optional human-readable detail.</param>
/// <param name="Since">When the doubt started (UTC).</param>
public sealed record StateAnnotation(AnnotationKind Kind, string From, string? Description, DateTimeOffset Since)
{
    /// <summary>The XEP-0310 element name of the kind: <c>server-unavailable</c> or <c>connection-paused</c>.</summary>
    public string KindName => Kind.ToWire();
}
