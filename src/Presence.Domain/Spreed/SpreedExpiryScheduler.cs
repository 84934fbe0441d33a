using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Domain.Spreed;

/// <summary>
/// Expires spreed statuses that are not refreshed (zarafa-presence spreed plugin, docs/ARCHITECTURE.md §5): after
/// <see cref="PausedAfter"/> without a refresh the status is annotated <c>connection-paused</c> (XEP-0310 §4.2);
/// after <see cref="AutoUnavailable"/> it becomes unavailable with an empty message. One timer from the
/// <see cref="TimeProvider"/> serves all users: deadlines sit in a priority queue (lazy deletion by generation).
/// </summary>
public sealed class SpreedExpiryScheduler : IPresenceRefreshObserver, IDisposable
{
    private readonly PresenceTracker _tracker;
    private readonly TimeProvider _time;
    private readonly string _annotatorJid;
    private readonly object _gate = new();
    private readonly Dictionary<UserId, Entry> _entries = new();
    private readonly PriorityQueue<(UserId User, long Generation), DateTimeOffset> _queue = new();
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private long _generation;
    private bool _disposed;

    /// <summary>Creates the scheduler and registers it with the tracker.</summary>
    /// <param name="tracker">The tracker it watches and updates.</param>
    /// <param name="pausedAfter">Time without refresh before the <c>connection-paused</c> annotation; must be &gt; 0 and &lt; <paramref name="autoUnavailable"/> (otherwise the paused step is skipped).</param>
    /// <param name="autoUnavailable">Time without refresh before unavailable (zarafa <c>spreed_auto_unavailable</c>); must be &gt; 0.</param>
    /// <param name="annotatorJid">The <c>from</c> of annotations (the component JID).</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive time.</exception>
    public SpreedExpiryScheduler(PresenceTracker tracker, TimeSpan pausedAfter, TimeSpan autoUnavailable, string annotatorJid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(autoUnavailable, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pausedAfter, TimeSpan.Zero);
        _tracker = tracker;
        _time = tracker.Time;
        PausedAfter = pausedAfter;
        AutoUnavailable = autoUnavailable;
        _annotatorJid = annotatorJid;
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracker.AddRefreshObserver(this);
    }

    /// <summary>Time without refresh before the paused annotation.</summary>
    public TimeSpan PausedAfter { get; }

    /// <summary>Time without refresh before unavailable.</summary>
    public TimeSpan AutoUnavailable { get; }

    /// <summary>Users with a pending deadline.</summary>
    public int Scheduled { get { lock (_gate) return _entries.Count; } }

    /// <inheritdoc />
    void IPresenceRefreshObserver.OnProtocolStatusApplied(UserId user, string protocol, PresenceState state, bool annotated, DateTimeOffset at)
    {
        if (protocol != Protocols.Spreed) return;
        lock (_gate)
        {
            if (_disposed) return;
            if (state == PresenceState.Unavailable)
            {
                _entries.Remove(user);
                return;
            }
            var paused = PausedAfter < AutoUnavailable;
            var entry = new Entry(++_generation, at + PausedAfter, at + AutoUnavailable, !paused);
            _entries[user] = entry;
            var next = entry.Next;
            _queue.Enqueue((user, entry.Generation), next);
            ArmLocked(next);
        }
    }

    private void ArmLocked(DateTimeOffset due)
    {
        if (due >= _armedFor) return;
        _armedFor = due;
        var delay = due - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        var now = _time.GetUtcNow();
        var work = new List<(UserId User, long Generation, bool Expire)>();
        lock (_gate)
        {
            if (_disposed) return;
            _armedFor = DateTimeOffset.MaxValue;
            while (_queue.TryPeek(out var item, out var due) && due <= now)
            {
                _queue.Dequeue();
                if (!_entries.TryGetValue(item.User, out var entry) || entry.Generation != item.Generation) continue;
                var expire = entry.PausedDone || entry.ExpireAt <= now;
                work.Add((item.User, entry.Generation, expire));
                if (!expire)
                {
                    _entries[item.User] = entry with { PausedDone = true };
                    _queue.Enqueue((item.User, entry.Generation), entry.ExpireAt);
                }
            }
            if (_queue.TryPeek(out _, out var nextDue)) ArmLocked(nextDue);
        }
        // Applied outside our lock (the tracker calls back into OnProtocolStatusApplied under its own lock), but only if
        // no refresh arrived since the decision: the generation is re-checked under the tracker's lock.
        foreach (var (user, generation, expire) in work)
        {
            if (expire)
            {
                _tracker.ApplyIf(new ProtocolStatusUpdate(user, Protocols.Spreed, PresenceState.Unavailable, "", ChangeCause.Expiry),
                    () => IsCurrent(user, generation));
            }
            else
            {
                var annotation = new StateAnnotation(AnnotationKind.ConnectionPaused, _annotatorJid,
                    $"no spreed refresh for {PausedAfter.TotalSeconds:0} s", now);
                _tracker.ApplyIf(new AnnotationUpdate(user, Protocols.Spreed, null, annotation, ChangeCause.Expiry),
                    () => IsCurrent(user, generation));
            }
        }
    }

    // Called under the tracker's lock (same lock order as the observer callback: tracker, then ours).
    private bool IsCurrent(UserId user, long generation)
    {
        lock (_gate) return !_disposed && _entries.TryGetValue(user, out var e) && e.Generation == generation;
    }

    /// <summary>Stops the timer; pending deadlines are forgotten.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _entries.Clear();
            _queue.Clear();
        }
        _timer.Dispose();
    }

    private sealed record Entry(long Generation, DateTimeOffset PausedAt, DateTimeOffset ExpireAt, bool PausedDone)
    {
        public DateTimeOffset Next => PausedDone ? ExpireAt : PausedAt;
    }
}
