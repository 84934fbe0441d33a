using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// A protocol status another node committed to the shared change log (docs/ARCHITECTURE.md, "Several nodes"): the
/// tracker takes <see cref="Status"/> as it is, with the other node's time, and the change it emits is
/// <see cref="PresenceChange.Replicated"/> so it is not written to the database a second time.
/// </summary>
/// <param name="User">The user.</param>
/// <param name="ProtocolName">The protocol (<c>xmpp</c>, <c>spreed</c>, …); equals <c>Status.Protocol</c>.</param>
/// <param name="Status">The protocol status as committed, resources and annotation included; <c>null</c> when the
/// other node cleared a reserved pseudo protocol (<see cref="ClearStatusUpdate"/>).</param>
/// <param name="Cause">Why it changed on the node that committed it.</param>
/// <param name="At">When it changed there (UTC); becomes the change's time and the user's last change.</param>
public sealed record ReplicatedStatusUpdate(UserId User, string ProtocolName, ProtocolStatus? Status, ChangeCause Cause, DateTimeOffset At)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
