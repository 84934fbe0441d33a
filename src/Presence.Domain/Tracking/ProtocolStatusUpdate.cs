using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// Sets a non-XMPP protocol's status (e.g. spreed through the zarafa API). Clears its annotation: a fresh
/// status is current. Applying the same status again is a refresh (no change, but the expiry restarts).
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName">Protocol name (validated by <see cref="Protocols.Validate"/>; not <c>xmpp</c>).</param>
/// <param name="State">New state.</param>
/// <param name="Message">Status message; empty for none.</param>
/// <param name="Cause">Why it changes.</param>
public sealed record ProtocolStatusUpdate(UserId User, string ProtocolName, PresenceState State, string Message, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
