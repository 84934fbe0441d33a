using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// Sets or clears (<paramref name="Annotation"/> <c>null</c>) an XEP-0310 annotation. For XMPP the annotation is
/// kept per resource (<paramref name="Resource"/>, or <c>null</c> for every resource of the user); for other
/// protocols <paramref name="Resource"/> must be <c>null</c>. A user without that protocol is left alone.
/// </summary>
/// <param name="User">Bare JID.</param>
/// <param name="ProtocolName">Protocol whose status is annotated.</param>
/// <param name="Resource">XMPP resource, or <c>null</c>.</param>
/// <param name="Annotation">The annotation, or <c>null</c> to clear.</param>
/// <param name="Cause">Why.</param>
public sealed record AnnotationUpdate(UserId User, string ProtocolName, string? Resource, StateAnnotation? Annotation, ChangeCause Cause)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
