using Presence.Domain.Model;
namespace Presence.Domain.Tracking;

/// <summary>
/// Sets a reserved pseudo protocol the user sets themselves (<see cref="Protocols.Preferred"/>: the preferred presence;
/// <see cref="Protocols.StatusMessage"/>: the status message). It lasts until <paramref name="Until"/>, when the
/// <see cref="StatusDeadlineScheduler"/> clears it, or until a <see cref="ClearStatusUpdate"/>. Applying the same
/// state, message and end again changes nothing.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName"><see cref="Protocols.Preferred"/> or <see cref="Protocols.StatusMessage"/>.</param>
/// <param name="State">The preferred state; <see cref="PresenceState.Unavailable"/> for a status message (ignored there).</param>
/// <param name="Message">Message; empty for none (the caller bounds its length).</param>
/// <param name="Until">When it ends (UTC), or <c>null</c> for no end (status message only; the API always gives the preferred presence an end).</param>
/// <param name="Cause">Why it changes.</param>
public sealed record PersonalStatusUpdate(UserId User, string ProtocolName, PresenceState State, string Message, DateTimeOffset? Until, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
