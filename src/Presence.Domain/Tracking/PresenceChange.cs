using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>One change of a user's presence, as emitted on the change feed (docs/ARCHITECTURE.md §4).</summary>
/// <param name="Sequence">Strictly increasing number of the change in this process (1, 2, …).</param>
/// <param name="Before">The user's presence before, or <c>null</c> when the user was unknown.</param>
/// <param name="After">The user's presence after.</param>
/// <param name="Protocol">The protocol that changed.</param>
/// <param name="Cause">Why.</param>
/// <param name="At">When (UTC, from the tracker's <see cref="TimeProvider"/>).</param>
public sealed record PresenceChange(long Sequence, UserPresence? Before, UserPresence After, string Protocol, ChangeCause Cause, DateTimeOffset At)
{
    /// <summary>The user.</summary>
    public UserId User => After.User;

    /// <summary>
    /// True when the change was committed by another node and read from the shared change log
    /// (<see cref="ReplicatedStatusUpdate"/>): it is already in the database.
    /// </summary>
    public bool Replicated { get; init; }

    /// <summary>
    /// True for a refresh that changed nothing (the same protocol status sent again), emitted only by a tracker with
    /// <see cref="PresenceTracker.EmitRefreshes"/> so that the other nodes of a cluster learn of it (their expiry
    /// deadlines move). <see cref="Before"/> and <see cref="After"/> are then the same presence.
    /// </summary>
    public bool RefreshOnly { get; init; }

    /// <summary>
    /// True when the reported status of <see cref="Protocol"/> (state, show, message, annotation, end) changed, or when a
    /// reserved pseudo protocol was cleared (<see cref="Cleared"/>).
    /// </summary>
    public bool ProtocolStatusChanged =>
        After.Get(Protocol) is { } now ? !now.SameReportedStatus(Before?.Get(Protocol)) : Cleared;

    /// <summary>True when the change removed the status of <see cref="Protocol"/> (a cleared preferred presence or status message).</summary>
    public bool Cleared => After.Get(Protocol) is null && Before?.Get(Protocol) is not null;

    /// <summary>True when the derived overall state changed.</summary>
    public bool OverallChanged => (Before?.Overall ?? PresenceState.Unavailable) != After.Overall || Before is null;
}
