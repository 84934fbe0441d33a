using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Web.Model;

/// <summary>
/// The board's rows and query, independent of rendering. Loaded from a tracker snapshot, then kept current with the
/// change feed; the filtered and sorted view is computed lazily, once per change burst, when a page is asked for.
/// Thread-safe: the feed watcher applies changes while the renderer reads pages.
/// </summary>
public sealed class BoardViewModel
{
    private readonly object _gate = new();
    private readonly Dictionary<UserId, BoardRow> _rows = new();
    private BoardQuery _query = new();
    private List<BoardRow>? _view;
    private int _available, _busy, _away, _unavailable, _stale;
    private long _version;

    /// <summary>Incremented by every load and applied change; lets a view tell whether it must re-render.</summary>
    public long Version { get { lock (_gate) return _version; } }

    /// <summary>Number of known users.</summary>
    public int Count { get { lock (_gate) return _rows.Count; } }

    /// <summary>The current search, filter and sort. Setting it re-filters on the next <see cref="GetPage"/>.</summary>
    public BoardQuery Query
    {
        get { lock (_gate) return _query; }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                if (_query == value) return;
                _query = value;
                _view = null;
            }
        }
    }

    /// <summary>Users per state (of all users, regardless of the query).</summary>
    public BoardCounts Counts
    {
        get
        {
            lock (_gate) return new BoardCounts(_rows.Count, _available, _busy, _away, _unavailable, _stale);
        }
    }

    /// <summary>Replaces every row with <paramref name="users"/> (a tracker snapshot).</summary>
    public void Load(IEnumerable<UserPresence> users)
    {
        ArgumentNullException.ThrowIfNull(users);
        lock (_gate)
        {
            _rows.Clear();
            _available = _busy = _away = _unavailable = _stale = 0;
            foreach (var u in users) SetLocked(u);
            _view = null;
            _version++;
        }
    }

    /// <summary>Applies changes from the feed, in order; the last presence of each user wins.</summary>
    public void Apply(IEnumerable<PresenceChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            var any = false;
            foreach (var c in changes)
            {
                SetLocked(c.After);
                any = true;
            }
            if (!any) return;
            _view = null;
            _version++;
        }
    }

    /// <summary>Sets one user's presence (adding the user when unknown).</summary>
    public void Apply(UserPresence presence)
    {
        ArgumentNullException.ThrowIfNull(presence);
        lock (_gate)
        {
            SetLocked(presence);
            _view = null;
            _version++;
        }
    }

    /// <summary>The row of <paramref name="user"/>, or <c>null</c> when unknown.</summary>
    public BoardRow? Find(UserId user)
    {
        lock (_gate) return _rows.GetValueOrDefault(user);
    }

    /// <summary>
    /// One page of the rows matching <see cref="Query"/>, in its order.
    /// </summary>
    /// <param name="pageIndex">Zero-based page; past the end gives the last page, negative the first.</param>
    /// <param name="pageSize">Rows per page, 1..1000.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is out of range.</exception>
    public BoardPage GetPage(int pageIndex, int pageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        lock (_gate)
        {
            var view = _view ??= BuildViewLocked();
            var pages = Math.Max(1, (view.Count + pageSize - 1) / pageSize);
            var index = Math.Clamp(pageIndex, 0, pages - 1);
            var start = index * pageSize;
            var rows = view.GetRange(start, Math.Min(pageSize, view.Count - start)).ToArray();
            return new BoardPage(rows, view.Count, index, pageSize);
        }
    }

    private List<BoardRow> BuildViewLocked()
    {
        var query = _query;
        var view = new List<BoardRow>(_rows.Count);
        foreach (var row in _rows.Values)
        {
            if (query.Matches(row)) view.Add(row);
        }
        view.Sort(query.Compare);
        return view;
    }

    private void SetLocked(UserPresence presence)
    {
        if (_rows.TryGetValue(presence.User, out var old)) Tally(old, -1);
        var row = BoardRow.From(presence);
        _rows[presence.User] = row;
        Tally(row, +1);
    }

    private void Tally(BoardRow row, int delta)
    {
        switch (row.Overall)
        {
            case PresenceState.Available: _available += delta; break;
            case PresenceState.Busy: _busy += delta; break;
            case PresenceState.Away: _away += delta; break;
            default: _unavailable += delta; break;
        }
        if (row.IsStale) _stale += delta;
    }
}
