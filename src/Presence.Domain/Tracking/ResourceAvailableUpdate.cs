using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>An XMPP resource is available (RFC 6121 §4.7 presence without type). Clears its annotation.</summary>
/// <param name="User">Bare JID of the sender.</param>
/// <param name="Resource">Resource of the sender's full JID.</param>
/// <param name="Show">Availability.</param>
/// <param name="Priority">Priority, clamped to −128..127.</param>
/// <param name="Message">Status text; empty for none.</param>
/// <param name="Cause">Usually <see cref="ChangeCause.XmppPresence"/>.</param>
public sealed record ResourceAvailableUpdate(UserId User, string Resource, XmppShow Show, int Priority, string Message, ChangeCause Cause = ChangeCause.XmppPresence)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}
