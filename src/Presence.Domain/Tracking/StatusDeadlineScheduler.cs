using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// Ends the statuses users set themselves — the preferred presence and the status message (reserved pseudo protocols
/// <see cref="Protocols.Preferred"/>, <see cref="Protocols.StatusMessage"/>) — at their <see cref="ProtocolStatus.Until"/>
/// (Microsoft Graph setUserPreferredPresence: a preferred presence always expires). Like the spreed expiry, one timer
/// from the tracker's <see cref="TimeProvider"/> serves all users and deadlines sit in a priority queue (lazy deletion
/// by generation). The clear goes through <see cref="PresenceTracker.ApplyIf"/> with <see cref="ChangeCause.Expiry"/>,
/// so a status set again meanwhile is kept, and in a cluster the expiry is committed once (docs/ARCHITECTURE.md,
/// "Several nodes").
/// </summary>
public sealed class StatusDeadlineScheduler : IPresenceRefreshObserver, IDisposable
{
    private readonly PresenceTracker _tracker;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<(UserId User, string Protocol), (long Generation, DateTimeOffset Until)> _entries = new();
    private readonly PriorityQueue<(UserId User, string Protocol, long Generation), DateTimeOffset> _queue = new();
    private readonly ITimer _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;
    private long _generation;
    private bool _disposed;

    /// <summary>Creates the scheduler and registers it with the tracker (before the state is restored, so restored ends are scheduled).</summary>
    /// <param name="tracker">The tracker it watches and updates.</param>
    public StatusDeadlineScheduler(PresenceTracker tracker)
    {
        _tracker = tracker;
        _time = tracker.Time;
        _timer = _time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        tracker.AddRefreshObserver(this);
    }

    /// <summary>Statuses with a pending end.</summary>
    public int Scheduled { get { lock (_gate) return _entries.Count; } }

    /// <inheritdoc />
    void IPresenceRefreshObserver.OnProtocolStatusApplied(UserId user, string protocol, PresenceState state, bool annotated, DateTimeOffset at)
    {
    }

    /// <inheritdoc />
    void IPresenceRefreshObserver.OnDeadlineChanged(UserId user, string protocol, DateTimeOffset? until)
    {
        lock (_gate)
        {
            if (_disposed) return;
            if (until is not { } due)
            {
                _entries.Remove((user, protocol));
                return;
            }
            var generation = ++_generation;
            _entries[(user, protocol)] = (generation, due);
            _queue.Enqueue((user, protocol, generation), due);
            ArmLocked(due);
        }
    }

    /// <summary>
    /// Longest single timer wait. Ends may lie years ahead (a status message's <c>until</c> is not bounded), beyond what
    /// a timer accepts (about 49.7 days); the timer then wakes at this interval and re-arms for the earliest end.
    /// </summary>
    public static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(1);

    private void ArmLocked(DateTimeOffset due)
    {
        if (due >= _armedFor) return;
        _armedFor = due;
        var delay = due - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxTimerWait ? MaxTimerWait : delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        var now = _time.GetUtcNow();
        var work = new List<(UserId User, string Protocol, long Generation)>();
        lock (_gate)
        {
            if (_disposed) return;
            _armedFor = DateTimeOffset.MaxValue;
            while (_queue.TryPeek(out var item, out var due) && due <= now)
            {
                _queue.Dequeue();
                if (_entries.TryGetValue((item.User, item.Protocol), out var entry) && entry.Generation == item.Generation) work.Add(item);
            }
            if (_queue.TryPeek(out _, out var nextDue)) ArmLocked(nextDue);
        }
        // Applied outside our lock (the tracker calls back into OnDeadlineChanged under its own lock), and only if the
        // status was not set again since: the generation is re-checked under the tracker's lock.
        foreach (var (user, protocol, generation) in work)
        {
            _tracker.ApplyIf(new ClearStatusUpdate(user, protocol, ChangeCause.Expiry), () => IsCurrent(user, protocol, generation));
        }
    }

    // Called under the tracker's lock (same lock order as the observer callback: tracker, then ours).
    private bool IsCurrent(UserId user, string protocol, long generation)
    {
        lock (_gate) return !_disposed && _entries.TryGetValue((user, protocol), out var e) && e.Generation == generation;
    }

    /// <summary>Stops the timer; pending ends are forgotten.</summary>
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
}
