namespace Presence.Xmpp.Component;

/// <summary>
/// The observable state of the component's link (implements <see cref="IXmppLinkStatus"/>): state with the time it
/// was entered, last error, reconnects, stanza counters, node item count and whether the node is being repopulated.
/// Thread-safe. <see cref="IXmppLinkStatus.Changed"/> fires on every state change and at most once a second for counters.
/// </summary>
public sealed class XmppLinkMonitor : IXmppLinkStatus
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private XmppLinkState _state = XmppLinkState.Disconnected;
    private DateTimeOffset _since;
    private string? _lastError;
    private long _reconnects;
    private long _received;
    private long _sent;
    private int _nodeItems;
    private bool _repopulating;
    private Privilege.PresenceMode _mode;
    private long _lastCounterEvent;
    private int _waiterCount;
    private readonly List<(Func<XmppLinkSnapshot, bool> Predicate, TaskCompletionSource<XmppLinkSnapshot> Done)> _waiters = [];

    /// <summary>Creates a monitor in <see cref="XmppLinkState.Disconnected"/>.</summary>
    /// <param name="time">Clock for <see cref="XmppLinkSnapshot.Since"/> (UTC).</param>
    public XmppLinkMonitor(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _since = _time.GetUtcNow();
    }

    /// <inheritdoc />
    public event Action<XmppLinkSnapshot>? Changed;

    /// <inheritdoc />
    public XmppLinkSnapshot Current
    {
        get
        {
            lock (_gate) return SnapshotLocked();
        }
    }

    /// <summary>Waits until the status satisfies <paramref name="predicate"/> (checked at once and after every change).</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled first.</exception>
    public Task<XmppLinkSnapshot> WaitUntilAsync(Func<XmppLinkSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<XmppLinkSnapshot> tcs;
        lock (_gate)
        {
            var now = SnapshotLocked();
            if (predicate(now)) return Task.FromResult(now);
            tcs = new TaskCompletionSource<XmppLinkSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((predicate, tcs));
            Volatile.Write(ref _waiterCount, _waiters.Count);
            // Counters are set without the lock and then look for waiters (CounterChanged): one set between the snapshot
            // above and the registration found none. With a full fence on both sides, either that setter sees this
            // waiter or this second look sees its value.
            Interlocked.MemoryBarrier();
            now = SnapshotLocked();
            if (predicate(now))
            {
                _waiters.RemoveAt(_waiters.Count - 1);
                Volatile.Write(ref _waiterCount, _waiters.Count);
                return Task.FromResult(now);
            }
        }
        return tcs.Task.WaitAsync(cancellationToken);
    }

    internal void SetState(XmppLinkState state, string? error = null)
    {
        XmppLinkSnapshot snap;
        lock (_gate)
        {
            if (error is not null) _lastError = error;
            if (_state == state && error is null) return;
            if (_state != state)
            {
                _state = state;
                _since = _time.GetUtcNow();
            }
            snap = SnapshotLocked();
        }
        Raise(snap);
    }

    internal void SetError(string error)
    {
        XmppLinkSnapshot snap;
        lock (_gate)
        {
            _lastError = error;
            snap = SnapshotLocked();
        }
        Raise(snap);
    }

    internal void CountReconnect() { Interlocked.Increment(ref _reconnects); CounterChanged(); }

    internal void CountReceived() { Interlocked.Increment(ref _received); CounterChanged(); }

    internal void CountSent(int n) { Interlocked.Add(ref _sent, n); CounterChanged(); }

    internal void SetNodeItems(int count)
    {
        if (Interlocked.Exchange(ref _nodeItems, count) != count) CounterChanged();
    }

    internal void SetRepopulating(bool repopulating)
    {
        XmppLinkSnapshot snap;
        lock (_gate)
        {
            if (_repopulating == repopulating) return;
            _repopulating = repopulating;
            snap = SnapshotLocked();
        }
        Raise(snap);
    }

    internal void SetPresenceMode(Privilege.PresenceMode mode)
    {
        XmppLinkSnapshot snap;
        lock (_gate)
        {
            if (_mode == mode) return;
            _mode = mode;
            snap = SnapshotLocked();
        }
        Raise(snap);
    }

    private void CounterChanged()
    {
        if (Volatile.Read(ref _waiterCount) > 0) CompleteWaiters(Current); // hot path: no lock unless someone waits
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastCounterEvent);
        if (now - last < 1000 || Interlocked.CompareExchange(ref _lastCounterEvent, now, last) != last) return;
        Raise(Current);
    }

    private XmppLinkSnapshot SnapshotLocked() => new(_state, _since, Interlocked.Read(ref _reconnects), _lastError,
        Interlocked.Read(ref _received), Interlocked.Read(ref _sent), Volatile.Read(ref _nodeItems), _repopulating, _mode);

    private void Raise(XmppLinkSnapshot snap)
    {
        CompleteWaiters(snap);
        Changed?.Invoke(snap);
    }

    private void CompleteWaiters(XmppLinkSnapshot snap)
    {
        List<TaskCompletionSource<XmppLinkSnapshot>>? done = null;
        lock (_gate)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Predicate(snap)) continue;
                (done ??= []).Add(_waiters[i].Done);
                _waiters.RemoveAt(i);
            }
            _waiterCount = _waiters.Count;
        }
        if (done is not null) foreach (var d in done) d.TrySetResult(snap);
    }
}
