using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>Number of users per overall state, and of users with a possibly stale (annotated) status.</summary>
/// <param name="Total">Every known user.</param>
/// <param name="Available">Overall available.</param>
/// <param name="Busy">Overall busy.</param>
/// <param name="Away">Overall away.</param>
/// <param name="Unavailable">Overall unavailable.</param>
/// <param name="Stale">Users with at least one annotated status (counted in their state too).</param>
public sealed record BoardCounts(int Total, int Available, int Busy, int Away, int Unavailable, int Stale)
{
    /// <summary>No users.</summary>
    public static BoardCounts Empty { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The count of one state.</summary>
    public int Of(PresenceState state) => state switch
    {
        PresenceState.Available => Available,
        PresenceState.Busy => Busy,
        PresenceState.Away => Away,
        _ => Unavailable,
    };
}
