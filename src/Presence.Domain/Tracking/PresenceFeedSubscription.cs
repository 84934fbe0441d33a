using System.Threading.Channels;
using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// One consumer's view of the tracker's change feed: its own bounded queue, filled by the tracker without
/// ever blocking it. When the queue is full the change is dropped, counted in <see cref="Dropped"/>, and the
/// subscription becomes <see cref="ResyncRequired"/>: the consumer calls <see cref="Resync"/> to receive a
/// consistent snapshot, after which the queue holds exactly the changes that follow that snapshot.
/// Dispose to unsubscribe. Reading is single-consumer.
/// </summary>
public sealed class PresenceFeedSubscription : IDisposable
{
    private readonly PresenceTracker _tracker;
    private readonly Channel<PresenceChange> _queue;
    private long _delivered;
    private long _dropped;
    private long _resyncs;
    private volatile bool _resyncRequired;
    private int _pending;

    internal PresenceFeedSubscription(PresenceTracker tracker, string name, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _tracker = tracker;
        Name = name;
        Capacity = capacity;
        // A single-reader unbounded channel is a lock-free queue; the bound is enforced by _pending below
        // (writes happen under the tracker's lock, so the check and the write cannot race with each other).
        _queue = Channel.CreateUnbounded<PresenceChange>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            AllowSynchronousContinuations = false,
        });
    }

    /// <summary>Consumer name, for statistics and logs.</summary>
    public string Name { get; }

    /// <summary>Queue capacity in changes.</summary>
    public int Capacity { get; }

    /// <summary>Changes currently queued.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Changes read by the consumer so far.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Changes dropped because the queue was full (the consumer was too slow).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times the consumer resynchronised from a snapshot.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>
    /// True after a drop: queued changes are incomplete and the consumer must call <see cref="Resync"/>.
    /// </summary>
    public bool ResyncRequired => _resyncRequired;

    /// <summary>Waits until a change is queued or a resync is required.</summary>
    /// <returns><c>false</c> when the subscription was disposed.</returns>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _queue.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>
    /// Takes the next queued change. Returns <c>false</c> while <see cref="ResyncRequired"/> (the queue then stays
    /// non-empty, so <see cref="WaitToReadAsync"/> returns at once and the consumer sees the flag).
    /// </summary>
    public bool TryRead(out PresenceChange change)
    {
        if (_resyncRequired) { change = null!; return false; }
        if (_queue.Reader.TryRead(out change!))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _delivered);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Discards the queue and returns the tracker's current snapshot atomically with respect to changes: every
    /// change queued afterwards happened after the snapshot. Clears <see cref="ResyncRequired"/>.
    /// </summary>
    /// <returns>All known users and the sequence number of the last change included.</returns>
    public PresenceSnapshot Resync() => _tracker.ResyncSubscription(this);

    /// <summary>Unsubscribes; a pending <see cref="WaitToReadAsync"/> returns <c>false</c>.</summary>
    public void Dispose()
    {
        _tracker.Unsubscribe(this);
        _queue.Writer.TryComplete();
    }

    // Called by the tracker under its lock.
    internal void Publish(PresenceChange change)
    {
        if (_resyncRequired)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        if (Volatile.Read(ref _pending) < Capacity && _queue.Writer.TryWrite(change))
        {
            Interlocked.Increment(ref _pending);
            return;
        }
        if (_queue.Reader.Completion.IsCompleted) return; // disposed
        Interlocked.Increment(ref _dropped);
        _resyncRequired = true; // the queue is full, so a waiting reader wakes and sees the flag
    }

    // Called by the tracker under its lock.
    internal void ClearForResync()
    {
        while (_queue.Reader.TryRead(out _)) Interlocked.Decrement(ref _pending);
        _resyncRequired = false;
        Interlocked.Increment(ref _resyncs);
    }

    /// <summary>Counters for status pages.</summary>
    public FeedStatistics Statistics => new(Name, Capacity, Pending, Delivered, Dropped, Resyncs);
}
