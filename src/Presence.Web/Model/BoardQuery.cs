using Presence.Domain.Model;

namespace Presence.Web.Model;

/// <summary>Which rows the board shows, and in which order.</summary>
/// <param name="Search">Case-insensitive text that must occur in the user id or a status message; empty for all.</param>
/// <param name="Filter">State filter.</param>
/// <param name="Sort">Sort column.</param>
/// <param name="Descending">Sort direction.</param>
public sealed record BoardQuery(string Search = "", BoardFilter Filter = BoardFilter.All, BoardSort Sort = BoardSort.User, bool Descending = false)
{
    /// <summary>True when <paramref name="row"/> passes the search and the filter.</summary>
    public bool Matches(BoardRow row)
    {
        var passes = Filter switch
        {
            BoardFilter.All => true,
            BoardFilter.Available => row.Overall == PresenceState.Available,
            BoardFilter.Busy => row.Overall == PresenceState.Busy,
            BoardFilter.Away => row.Overall == PresenceState.Away,
            BoardFilter.Unavailable => row.Overall == PresenceState.Unavailable,
            BoardFilter.Stale => row.IsStale,
            _ => true,
        };
        if (!passes) return false;
        var search = Search.Trim();
        return search.Length == 0 || row.SearchText.Contains(search, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Orders rows by <see cref="Sort"/> and <see cref="Descending"/>; ties go to the user id, ascending.</summary>
    public int Compare(BoardRow a, BoardRow b)
    {
        var c = Sort switch
        {
            // State order as people read it: available, busy, away, unavailable.
            BoardSort.State => StateRank(a.Overall).CompareTo(StateRank(b.Overall)),
            BoardSort.LastChange => a.LastChange.CompareTo(b.LastChange),
            BoardSort.Resources => a.ResourceCount.CompareTo(b.ResourceCount),
            _ => 0,
        };
        if (Descending) c = -c;
        if (c != 0) return c;
        c = string.CompareOrdinal(a.User, b.User);
        return Sort == BoardSort.User && Descending ? -c : c;
    }

    private static int StateRank(PresenceState state) => state switch
    {
        PresenceState.Available => 0,
        PresenceState.Busy => 1,
        PresenceState.Away => 2,
        _ => 3,
    };
}
