using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Web.Model;

/// <summary>
/// The board's rows and query, independent of rendering. Loaded from a tracker snapshot, then kept current with the
/// change feed; the filtered and sorted view is computed lazily, once per change burst, when the rows are asked for.
/// Thread-safe: the feed watcher applies changes while the renderer reads pages.
/// </summary>
internal sealed class BoardViewModel
{
    private readonly object _gate = new();
    private readonly Dictionary<UserId, BoardRow> _rows = new();
    private BoardQuery _query = new();
    private BoardRow[]? _view;
    private int _available, _busy, _away, _unavailable, _stale;
    private long _version;

    /// <summary>Incremented by every load and applied change; lets a view tell whether it must re-render.</summary>
    public long Version { get { lock (_gate) return _version; } }

    /// <summary>Number of known users.</summary>
    public int Count { get { lock (_gate) return _rows.Count; } }

    /// <summary>The current search, filter and sort. Setting it re-filters on the next read of <see cref="Rows"/>.</summary>
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

    /// <summary>
    /// Every row matching <see cref="Query"/>, in its order: an immutable array computed once per change burst (and
    /// per query), shared by the renderer's virtualised list until the next change.
    /// </summary>
    public IReadOnlyList<BoardRow> Rows
    {
        get
        {
            lock (_gate) return _view ??= BuildViewLocked();
        }
    }

    private BoardRow[] BuildViewLocked()
    {
        var query = _query;
        var view = new List<BoardRow>(_rows.Count);
        foreach (var row in _rows.Values)
        {
            if (query.Matches(row)) view.Add(row);
        }
        view.Sort(query.Compare);
        return [.. view];
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
