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

/// <summary>One page of the board.</summary>
/// <param name="Rows">The rows of the page, in order.</param>
/// <param name="Matching">Rows matching the query on all pages.</param>
/// <param name="PageIndex">Zero-based page shown (clamped to the last page).</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record BoardPage(IReadOnlyList<BoardRow> Rows, int Matching, int PageIndex, int PageSize)
{
    /// <summary>Number of pages (at least 1).</summary>
    public int PageCount => Math.Max(1, (Matching + PageSize - 1) / PageSize);

    /// <summary>An empty page.</summary>
    public static BoardPage Empty(int pageSize) => new([], 0, 0, pageSize);
}
