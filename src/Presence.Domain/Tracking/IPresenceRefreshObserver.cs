using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>Told of every applied <see cref="ProtocolStatusUpdate"/> (see <see cref="PresenceTracker.AddRefreshObserver"/>).</summary>
public interface IPresenceRefreshObserver
{
    /// <summary>A protocol status was set or refreshed; called under the tracker's lock.</summary>
    /// <param name="user">The user.</param>
    /// <param name="protocol">The protocol.</param>
    /// <param name="state">The state now.</param>
    /// <param name="annotated">Whether the status is annotated after the update.</param>
    /// <param name="at">When (UTC).</param>
    void OnProtocolStatusApplied(UserId user, string protocol, PresenceState state, bool annotated, DateTimeOffset at);

    /// <summary>
    /// A reserved pseudo protocol (<see cref="Protocols.Preferred"/>, <see cref="Protocols.StatusMessage"/>) was set,
    /// restored, changed or cleared; called under the tracker's lock, also for replicated changes.
    /// </summary>
    /// <param name="user">The user.</param>
    /// <param name="protocol">The pseudo protocol.</param>
    /// <param name="until">Its end now (UTC), or <c>null</c> when it has none or was cleared.</param>
    void OnDeadlineChanged(UserId user, string protocol, DateTimeOffset? until) { }
}
