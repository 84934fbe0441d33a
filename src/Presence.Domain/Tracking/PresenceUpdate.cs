using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// An input to <see cref="PresenceTracker.Apply(PresenceUpdate)"/>. Inputs are validated by their sources
/// (API, XMPP handler); the tracker still refuses inconsistent ones with <see cref="ArgumentException"/>.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="Cause">Why it changes.</param>
public abstract record PresenceUpdate(UserId User, ChangeCause Cause)
{
    /// <summary>The protocol this update touches.</summary>
    public abstract string Protocol { get; }
}
