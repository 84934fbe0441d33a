using System.Collections.Immutable;
using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// The single authority for current presence (docs/ARCHITECTURE.md §3). Applies <see cref="PresenceUpdate"/>s, derives per-protocol
/// and overall status (docs/ARCHITECTURE.md §3), and emits every change to each subscriber's own bounded queue without blocking.
/// Thread-safe; one lock serialises updates (an update is a few hundred nanoseconds).
/// </summary>
public sealed class PresenceTracker
{
    private readonly object _gate = new();
    private readonly Dictionary<UserId, UserPresence> _users = new();
    private readonly TimeProvider _time;
    private PresenceFeedSubscription[] _subscribers = [];
    private IPresenceRefreshObserver[] _observers = [];
    private readonly PresenceLimits _limits;
    private long _sequence;
    private long _resourcesRefused;
    // Per (user, protocol), the sequence of the last change made on this node; kept only with EmitRefreshes.
    private readonly Dictionary<(UserId, string), long> _lastLocal = new();

    /// <summary>Creates an empty tracker.</summary>
    /// <param name="time">Clock for <c>Since</c>, <c>LastChange</c> and change times (UTC).</param>
    /// <param name="limits">Per-user bounds; <see cref="PresenceLimits.Default"/> when <c>null</c>.</param>
    public PresenceTracker(TimeProvider time, PresenceLimits? limits = null)
    {
        _time = time;
        _limits = limits ?? PresenceLimits.Default;
    }

    /// <summary>The per-user bounds this tracker enforces.</summary>
    public PresenceLimits Limits => _limits;

    /// <summary>How many available presences of a new resource were ignored because the user had <see cref="PresenceLimits.MaxResourcesPerUser"/> already.</summary>
    public long ResourcesRefused => Interlocked.Read(ref _resourcesRefused);

    /// <summary>
    /// Cluster mode (docs/ARCHITECTURE.md, "Several nodes"): a refresh that changes nothing is emitted as a
    /// <see cref="PresenceChange.RefreshOnly"/> change, and the sequence of each (user, protocol)'s last local change
    /// is kept for <see cref="LastLocalSequence"/>. Off on a single node (no cost). Set before the first update.
    /// </summary>
    public bool EmitRefreshes { get; init; }

    /// <summary>
    /// Sequence of the last change this node itself made to <paramref name="protocol"/> of <paramref name="user"/>
    /// (not replicated ones), or 0. Only kept with <see cref="EmitRefreshes"/>.
    /// </summary>
    public long LastLocalSequence(UserId user, string protocol)
    {
        lock (_gate) return _lastLocal.GetValueOrDefault((user, protocol));
    }

    /// <summary>The clock the tracker stamps changes with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Sequence number of the last change (0 before any).</summary>
    public long Sequence { get { lock (_gate) return _sequence; } }

    /// <summary>Number of known users.</summary>
    public int Count { get { lock (_gate) return _users.Count; } }

    /// <summary>The user's current presence, or <c>null</c> when unknown.</summary>
    public UserPresence? Get(UserId user)
    {
        lock (_gate) return _users.GetValueOrDefault(user);
    }

    /// <summary>All known users ordered by id, and the sequence of the last change included.</summary>
    public PresenceSnapshot Snapshot()
    {
        UserPresence[] users;
        long seq;
        lock (_gate)
        {
            users = [.. _users.Values];
            seq = _sequence;
        }
        Array.Sort(users, static (a, b) => a.User.CompareTo(b.User));
        return new PresenceSnapshot(users, seq);
    }

    /// <summary>
    /// Subscribes a consumer to the change feed.
    /// </summary>
    /// <param name="name">Consumer name for statistics (e.g. <c>history</c>, <c>pubsub</c>).</param>
    /// <param name="capacity">Queue capacity in changes (≥ 1); a consumer further behind must resync.</param>
    /// <returns>The subscription (dispose to unsubscribe) with the snapshot the feed continues from.</returns>
    public (PresenceFeedSubscription Subscription, PresenceSnapshot Snapshot) Subscribe(string name, int capacity = 65_536)
    {
        var sub = new PresenceFeedSubscription(this, name, capacity);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, sub];
            return (sub, SnapshotLocked());
        }
    }

    /// <summary>Counters of every feed consumer.</summary>
    public IReadOnlyList<FeedStatistics> FeedStatistics()
    {
        var subs = Volatile.Read(ref _subscribers);
        return [.. subs.Select(s => s.Statistics)];
    }

    /// <summary>
    /// Registers an observer told synchronously (under the tracker's lock) of every applied
    /// <see cref="ProtocolStatusUpdate"/>, changed or not — how the spreed expiry learns of refreshes.
    /// The observer must be fast and must not call back into the tracker.
    /// </summary>
    public void AddRefreshObserver(IPresenceRefreshObserver observer)
    {
        lock (_gate) _observers = [.. _observers, observer];
    }

    /// <summary>
    /// Loads persisted state at start without emitting changes (the feed starts after it).
    /// Existing users with the same id are replaced. Observers learn of restored spreed statuses and of every status
    /// with an end (<see cref="ProtocolStatus.Until"/>), so their deadlines hold again (an end already past is due at once).
    /// </summary>
    public void Restore(IEnumerable<UserPresence> users)
    {
        lock (_gate)
        {
            foreach (var u in users) _users[u.User] = u;
            foreach (var u in _users.Values)
            {
                if (u.Get(Model.Protocols.Spreed) is { } s)
                {
                    foreach (var o in _observers) o.OnProtocolStatusApplied(u.User, s.Protocol, s.State, s.Annotation is not null, _time.GetUtcNow());
                }
                foreach (var p in u.Protocols)
                {
                    if (p.Until is { } until) foreach (var o in _observers) o.OnDeadlineChanged(u.User, p.Protocol, until);
                }
            }
        }
    }

    /// <summary>Applies one update.</summary>
    /// <returns>The emitted change, or <c>null</c> when nothing changed (e.g. a refresh with the same status).</returns>
    /// <exception cref="ArgumentException">The update is inconsistent (e.g. a <see cref="ProtocolStatusUpdate"/> for xmpp).</exception>
    public PresenceChange? Apply(PresenceUpdate update)
    {
        Check(update);
        lock (_gate) return ApplyLocked(update);
    }

    /// <summary>
    /// Applies one update only if <paramref name="stillWanted"/>, evaluated under the tracker's lock, returns <c>true</c>:
    /// a decision taken earlier (e.g. a timer's) cannot overwrite an update that arrived meanwhile.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <param name="stillWanted">Called under the lock; must be fast and must not call back into the tracker.</param>
    /// <returns>The emitted change, or <c>null</c> when nothing changed or the update was no longer wanted.</returns>
    /// <exception cref="ArgumentException">The update is inconsistent.</exception>
    public PresenceChange? ApplyIf(PresenceUpdate update, Func<bool> stillWanted)
    {
        Check(update);
        lock (_gate) return stillWanted() ? ApplyLocked(update) : null;
    }

    /// <summary>
    /// Applies several updates atomically: all are checked first, so an inconsistent one throws before any is
    /// applied; then all are applied under one lock (no other change interleaves).
    /// </summary>
    /// <returns>The emitted changes, in order (updates that changed nothing emit none).</returns>
    /// <exception cref="ArgumentException">One update is inconsistent; nothing was applied.</exception>
    public IReadOnlyList<PresenceChange> ApplyAll(IReadOnlyList<PresenceUpdate> updates)
    {
        foreach (var u in updates) Check(u);
        var changes = new List<PresenceChange>(updates.Count);
        lock (_gate)
        {
            foreach (var u in updates)
            {
                if (ApplyLocked(u) is { } c) changes.Add(c);
            }
        }
        return changes;
    }

    /// <summary>
    /// Applies <paramref name="makeUpdate"/> to every known user it returns an update for, atomically.
    /// Used for link loss (annotate every XMPP status) and remote-domain errors.
    /// </summary>
    /// <param name="makeUpdate">Called under the lock with each user's presence; returns the update or <c>null</c>. Must be fast and pure.</param>
    /// <returns>The emitted changes.</returns>
    public IReadOnlyList<PresenceChange> ApplyToAll(Func<UserPresence, PresenceUpdate?> makeUpdate)
    {
        var changes = new List<PresenceChange>();
        lock (_gate)
        {
            var users = _users.Values.ToArray();
            foreach (var u in users)
            {
                if (makeUpdate(u) is { } update)
                {
                    Check(update);
                    if (ApplyLocked(update) is { } c) changes.Add(c);
                }
            }
        }
        return changes;
    }

    internal void Unsubscribe(PresenceFeedSubscription sub)
    {
        lock (_gate) _subscribers = [.. _subscribers.Where(s => s != sub)];
    }

    internal PresenceSnapshot ResyncSubscription(PresenceFeedSubscription sub)
    {
        lock (_gate)
        {
            sub.ClearForResync();
            return SnapshotLocked();
        }
    }

    private PresenceSnapshot SnapshotLocked()
    {
        UserPresence[] users = [.. _users.Values];
        Array.Sort(users, static (a, b) => a.User.CompareTo(b.User));
        return new PresenceSnapshot(users, _sequence);
    }

    private static void Check(PresenceUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        switch (update)
        {
            case ProtocolStatusUpdate p:
                if (Model.Protocols.Validate(p.ProtocolName) is { } err) throw new ArgumentException(err, nameof(update));
                if (p.ProtocolName == Model.Protocols.Xmpp) throw new ArgumentException("XMPP status is set per resource (ResourceAvailableUpdate)", nameof(update));
                ArgumentNullException.ThrowIfNull(p.Message);
                break;
            case ResourceAvailableUpdate r:
                ArgumentNullException.ThrowIfNull(r.Resource);
                ArgumentNullException.ThrowIfNull(r.Message);
                break;
            case AnnotationUpdate a:
                if (a.Resource is not null && a.ProtocolName != Model.Protocols.Xmpp)
                    throw new ArgumentException("only XMPP annotations are per resource", nameof(update));
                break;
            case ReplicatedStatusUpdate r:
                if (r.Status is null && !Model.Protocols.IsReserved(r.ProtocolName))
                    throw new ArgumentException("only a reserved pseudo protocol can be replicated as cleared", nameof(update));
                if (r.Status is not null && r.Status.Protocol != r.ProtocolName) throw new ArgumentException("the replicated status is of another protocol", nameof(update));
                break;
            case PersonalStatusUpdate p:
                if (!Model.Protocols.IsReserved(p.ProtocolName)) throw new ArgumentException($"'{p.ProtocolName}' is not a reserved pseudo protocol", nameof(update));
                ArgumentNullException.ThrowIfNull(p.Message);
                break;
            case ClearStatusUpdate c:
                if (!Model.Protocols.IsReserved(c.ProtocolName)) throw new ArgumentException($"'{c.ProtocolName}' is not a reserved pseudo protocol", nameof(update));
                break;
        }
    }

    private PresenceChange? ApplyLocked(PresenceUpdate requested)
    {
        var update = requested;
        var replicated = update as ReplicatedStatusUpdate;
        var now = replicated?.At ?? _time.GetUtcNow();
        _users.TryGetValue(update.User, out var before);
        var current = before ?? UserPresence.Empty(update.User, now);
        var oldStatus = current.Get(update.Protocol);
        if (Bounded(requested, oldStatus) is not { } bounded)
        {
            Interlocked.Increment(ref _resourcesRefused);
            return null;
        }
        update = bounded;
        if (update is ClearStatusUpdate || replicated is { Status: null })
        {
            if (oldStatus is null) return null; // nothing set: nothing to clear
            var cleared = current.Without(update.Protocol, now);
            return Emit(update, before, cleared, replicated, now, null);
        }
        ProtocolStatus? newStatus = update switch
        {
            ProtocolStatusUpdate p => ApplyProtocolStatus(p, oldStatus, now),
            ResourceAvailableUpdate r => XmppAggregation.Available(oldStatus, r, now),
            ResourceUnavailableUpdate r => XmppAggregation.Unavailable(oldStatus, r, now),
            ResourceDetailsUpdate d => XmppAggregation.Details(oldStatus, d),
            AnnotationUpdate a => ApplyAnnotation(oldStatus, a, now),
            PersonalStatusUpdate p => ApplyPersonalStatus(p, oldStatus, now),
            ReplicatedStatusUpdate r => oldStatus is not null && SameStatus(oldStatus, r.Status!) ? oldStatus : r.Status,
            _ => throw new ArgumentException($"unknown update {update.GetType().Name}", nameof(update)),
        };
        if (update is ProtocolStatusUpdate psu)
        {
            foreach (var o in _observers) o.OnProtocolStatusApplied(psu.User, psu.ProtocolName, psu.State, (newStatus ?? oldStatus)?.Annotation is not null, now);
        }
        else if (replicated is { Status: { } rs } && replicated.ProtocolName != Model.Protocols.Xmpp && !Model.Protocols.IsReserved(replicated.ProtocolName) &&
                 (replicated.Cause != ChangeCause.Expiry || rs.State == PresenceState.Unavailable))
        {
            // A status set or refreshed on another node moves this node's expiry deadlines too (its expiry steps do not).
            foreach (var o in _observers) o.OnProtocolStatusApplied(replicated.User, replicated.ProtocolName, rs.State, rs.Annotation is not null, now);
        }
        if (newStatus is null || ReferenceEquals(newStatus, oldStatus))
        {
            if (!EmitRefreshes || replicated is not null || update is not ProtocolStatusUpdate || before is null || newStatus is null) return null;
            // Cluster mode: the other nodes must learn of the refresh (their expiry deadlines move with it).
            var refresh = new PresenceChange(++_sequence, before, before, update.Protocol, update.Cause, now) { RefreshOnly = true };
            _lastLocal[(update.User, update.Protocol)] = refresh.Sequence;
            foreach (var s in _subscribers) s.Publish(refresh);
            return refresh;
        }
        return Emit(update, before, current.With(newStatus, now), replicated, now, newStatus);
    }

    // Stores the user's new presence and publishes the change; tells observers of a reserved pseudo protocol's new end.
    private PresenceChange Emit(PresenceUpdate update, UserPresence? before, UserPresence after, ReplicatedStatusUpdate? replicated, DateTimeOffset now, ProtocolStatus? newStatus)
    {
        _users[update.User] = after;
        var change = new PresenceChange(++_sequence, before, after, update.Protocol, update.Cause, now) { Replicated = replicated is not null };
        if (EmitRefreshes && replicated is null) _lastLocal[(update.User, update.Protocol)] = change.Sequence;
        if (Model.Protocols.IsReserved(update.Protocol))
        {
            foreach (var o in _observers) o.OnDeadlineChanged(update.User, update.Protocol, newStatus?.Until);
        }
        foreach (var s in _subscribers) s.Publish(change);
        return change;
    }

    /// <summary>The update with its message cut to the limit, or <c>null</c> when it would add a resource over the limit.</summary>
    private PresenceUpdate? Bounded(PresenceUpdate update, ProtocolStatus? old)
    {
        var max = _limits.MaxMessageLength;
        switch (update)
        {
            case ResourceAvailableUpdate r:
                if (old is not null && old.Resources.Length >= _limits.MaxResourcesPerUser && !HasResource(old, r.Resource)) return null;
                return r.Message.Length > max ? r with { Message = _limits.Cut(r.Message) } : r;
            case ResourceUnavailableUpdate u when u.Message.Length > max:
                return u with { Message = _limits.Cut(u.Message) };
            case ProtocolStatusUpdate p when p.Message.Length > max:
                return p with { Message = _limits.Cut(p.Message) };
            case PersonalStatusUpdate p when p.Message.Length > max:
                return p with { Message = _limits.Cut(p.Message) };
            default:
                return update;
        }
    }

    private static bool HasResource(ProtocolStatus status, string resource)
    {
        foreach (var r in status.Resources)
        {
            if (r.Resource == resource) return true;
        }
        return false;
    }

    // Value equality of two statuses, resources compared item by item (ImmutableArray compares references).
    private static bool SameStatus(ProtocolStatus a, ProtocolStatus b) =>
        a.SameReportedStatus(b) && a.Since == b.Since && a.Resources.AsSpan().SequenceEqual(b.Resources.AsSpan());

    private static ProtocolStatus? ApplyProtocolStatus(ProtocolStatusUpdate p, ProtocolStatus? old, DateTimeOffset now)
    {
        if (old is not null && old.State == p.State && old.Message == p.Message && old.Annotation is null) return old;
        var since = old is not null && old.State == p.State && old.Message == p.Message ? old.Since : now;
        return new ProtocolStatus(p.ProtocolName, p.State, p.Message, since);
    }

    private static ProtocolStatus ApplyPersonalStatus(PersonalStatusUpdate p, ProtocolStatus? old, DateTimeOffset now)
    {
        var state = p.ProtocolName == Model.Protocols.StatusMessage ? PresenceState.Unavailable : p.State;
        if (old is not null && old.State == state && old.Message == p.Message && old.Until == p.Until) return old;
        var since = old is not null && old.State == state && old.Message == p.Message ? old.Since : now;
        return new ProtocolStatus(p.ProtocolName, state, p.Message, since, Until: p.Until);
    }

    private static ProtocolStatus? ApplyAnnotation(ProtocolStatus? old, AnnotationUpdate a, DateTimeOffset now)
    {
        if (old is null) return null;
        if (a.ProtocolName == Model.Protocols.Xmpp) return XmppAggregation.Annotate(old, a.Resource, a.Annotation, now);
        if (Equals(old.Annotation, a.Annotation)) return old;
        // Already annotated alike (e.g. another node of a cluster paused it first): the doubt started then, not now.
        if (old.Annotation is { } held && a.Annotation is { } again && held.Kind == again.Kind && held.From == again.From) return old;
        if (old.State == PresenceState.Unavailable && a.Annotation is not null) return old; // nothing cached to doubt
        return old with { Annotation = a.Annotation };
    }
}
