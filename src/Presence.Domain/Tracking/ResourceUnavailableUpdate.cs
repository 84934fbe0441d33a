using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// An XMPP resource went unavailable (RFC 6121 §4.5): it is removed. <paramref name="Resource"/> <c>null</c>
/// removes all resources of the user.
/// </summary>
/// <param name="User">Bare JID.</param>
/// <param name="Resource">The resource, or <c>null</c> for all.</param>
/// <param name="Message">Status text of the unavailable presence (kept as the XMPP message when no resource is left).</param>
/// <param name="Cause">Why.</param>
public sealed record ResourceUnavailableUpdate(UserId User, string? Resource, string Message = "", ChangeCause Cause = ChangeCause.XmppPresence)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}
