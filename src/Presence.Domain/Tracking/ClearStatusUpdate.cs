using Presence.Domain.Model;
namespace Presence.Domain.Tracking;

/// <summary>
/// Clears a reserved pseudo protocol (<see cref="Protocols.Preferred"/>, <see cref="Protocols.StatusMessage"/>): the
/// status is removed, so the overall state is computed from the protocols again. Nothing changes when none is set.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName"><see cref="Protocols.Preferred"/> or <see cref="Protocols.StatusMessage"/>.</param>
/// <param name="Cause"><see cref="ChangeCause.Api"/> (DELETE) or <see cref="ChangeCause.Expiry"/> (its end was reached).</param>
public sealed record ClearStatusUpdate(UserId User, string ProtocolName, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
