using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Polly;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Cluster;
using Presence.Web.Configuration;
using Presence.Web.Data;
using Presence.Web.Data.Entities;
using Presence.Web.Metrics;

namespace Presence.Web.History;

/// <summary>
/// Persists the change feed (docs/ARCHITECTURE.md §4, §6): consumes <c>tracker.Subscribe("history")</c>, drains what is queued (up to
/// <see cref="HistoryOptions.BatchSize"/> changes), writes the touched users' current state and the history rows
/// in one transaction (group commit), then advances <see cref="CommittedSequence"/>. An API write awaits
/// <see cref="WaitForCommitAsync"/> so it is acknowledged only once durable. When the writer fell behind and the feed
/// dropped changes, it writes the whole snapshot's current state and logs how many history rows were lost.
/// A failed commit is retried by <see cref="HistoryRetry"/> until it succeeds; meanwhile <see cref="Outage"/> names the
/// cause and every commit wait fails at once with <see cref="DatabaseUnavailableException"/>, while the changes stay
/// in memory (the feed's queue, then a resync snapshot if it overflows) and are committed when the database is back.
/// </summary>
public sealed class HistoryWriter : BackgroundService, IHostedLifecycleService
{
    private readonly PresenceTracker _tracker;
    private readonly IDbContextFactory<PresenceDbContext> _contexts;
    private readonly HistoryOptions _options;
    private readonly ILogger<HistoryWriter> _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly ClusterMode _cluster;
    private readonly ChangeLogPositions _positions;
    private readonly ChangeLogApplier _applier;
    private readonly object _gate = new();
    // Pending commit waiters by the sequence they wait for; a cancelled or timed-out wait removes its own entry.
    private readonly SortedDictionary<long, HashSet<TaskCompletionSource>> _waiters = new();
    private PresenceFeedSubscription? _subscription;
    private long _committed;
    private long _batches;
    private long _rows;
    private long _lostRows;
    private DateTimeOffset? _lastCommit;
    private string? _lastError;
    private volatile DatabaseOutage? _outage;

    /// <summary>Creates the writer; it subscribes to the feed in <see cref="StartingAsync"/>.</summary>
    /// <param name="tracker">The tracker whose feed is persisted.</param>
    /// <param name="contexts">Database contexts of the configured provider.</param>
    /// <param name="options">Batch size and queue capacity.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock; <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    /// <param name="cluster">Cluster mode; a single node without a change log when <c>null</c>.</param>
    /// <param name="positions">Change log positions shared with the follower.</param>
    /// <param name="applier">Applies a newer entry that superseded one of this node's conditional changes.</param>
    internal HistoryWriter(PresenceTracker tracker, IDbContextFactory<PresenceDbContext> contexts, IOptions<HistoryOptions> options,
        ILogger<HistoryWriter> logger, TimeProvider? time = null, ClusterMode? cluster = null, ChangeLogPositions? positions = null, ChangeLogApplier? applier = null)
    {
        _cluster = cluster ?? new ClusterMode(Presence.Xmpp.Hosting.SingleNodeLeadership.DefaultNodeName, null);
        _positions = positions ?? new ChangeLogPositions();
        _applier = applier ?? new ChangeLogApplier(tracker, _positions, _cluster, Microsoft.Extensions.Logging.Abstractions.NullLogger<ChangeLogApplier>.Instance);
        _tracker = tracker;
        _contexts = contexts;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _retry = HistoryRetry.Create(_time, OnCommitFailedAsync);
    }

    /// <summary>The current database outage (the last commit failed), or <c>null</c> while commits succeed.</summary>
    public DatabaseOutage? Outage => _outage;

    /// <summary>Sequence number of the last change whose history is committed.</summary>
    public long CommittedSequence => Interlocked.Read(ref _committed);

    /// <summary>Counters for <c>/healthz</c> and the dashboard.</summary>
    public HistoryWriterStatus Status => new(CommittedSequence, Interlocked.Read(ref _batches), Interlocked.Read(ref _rows),
        Interlocked.Read(ref _lostRows), _lastCommit, _lastError);

    /// <summary>
    /// Completes when the change with <paramref name="sequence"/> (a <see cref="PresenceChange.Sequence"/>) and every
    /// earlier one are committed. Completes at once for sequences already committed or ≤ 0. When
    /// <paramref name="cancellationToken"/> is cancelled first (pass a token with a timeout to bound the wait), the
    /// wait is forgotten: nothing of it stays with the writer. While the database is unavailable (<see cref="Outage"/>)
    /// the wait fails at once; the change stays in memory and is committed when the database is back.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled first.</exception>
    /// <exception cref="DatabaseUnavailableException">When a commit fails before this sequence is committed.</exception>
    public Task WaitForCommitAsync(long sequence, CancellationToken cancellationToken)
    {
        if (sequence <= CommittedSequence) return Task.CompletedTask;
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (sequence <= _committed) return Task.CompletedTask;
            if (_outage is { } outage) return Task.FromException(new DatabaseUnavailableException(outage));
            if (!_waiters.TryGetValue(sequence, out var set)) _waiters[sequence] = set = [];
            set.Add(tcs);
        }
        return cancellationToken.CanBeCanceled ? WaitCancellableAsync(tcs, sequence, cancellationToken) : tcs.Task;
    }

    private async Task WaitCancellableAsync(TaskCompletionSource tcs, long sequence, CancellationToken cancellationToken)
    {
        await using var registration = cancellationToken.Register(() =>
        {
            RemoveWaiter(sequence, tcs);
            tcs.TrySetCanceled(cancellationToken);
        });
        await tcs.Task;
    }

    private void RemoveWaiter(long sequence, TaskCompletionSource tcs)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(sequence, out var set) && set.Remove(tcs) && set.Count == 0) _waiters.Remove(sequence);
        }
    }

    /// <summary>Number of commit waits not yet completed nor cancelled (for tests).</summary>
    internal int PendingWaiters
    {
        get
        {
            lock (_gate)
            {
                var count = 0;
                foreach (var set in _waiters.Values) count += set.Count;
                return count;
            }
        }
    }

    /// <summary>Subscribes to the feed before any other hosted service starts (after the state was restored).</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var (subscription, snapshot) = _tracker.Subscribe("history", _options.QueueCapacity);
        _subscription = subscription;
        Advance(snapshot.Sequence);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sub = _subscription ?? throw new InvalidOperationException("HistoryWriter started without StartingAsync.");
        var work = new Batch(_options.BatchSize);
        HistoryStore? store = null;
        try
        {
            while (await sub.WaitToReadAsync(stoppingToken))
            {
                if (!Take(sub, work)) continue;
                var owned = store;
                store = null; // CommitAsync owns it now: returned on success, disposed on failure
                store = await CommitAsync(owned, work, retry: true, stoppingToken);
                work.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: commit the interrupted batch and what is still queued (one attempt each, bounded in
            // time) on a fresh connection, so current state is not lost.
            try
            {
                if (store is not null) { await store.DisposeAsync(); store = null; }
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                HistoryStore? last = null;
                if (work.UpTo > 0) last = await CommitAsync(null, work, retry: false, cts.Token);
                while (Take(sub, work))
                {
                    var owned = last;
                    last = null;
                    last = await CommitAsync(owned, work, retry: false, cts.Token);
                }
                store = last;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Committing the last queued changes at shutdown failed");
            }
        }
        finally
        {
            if (store is not null) await store.DisposeAsync();
        }
    }

    private static readonly string[] ReservedProtocols = [Protocols.Preferred, Protocols.StatusMessage];

    // Fills the batch from the queue (or from a resync snapshot); false when there is nothing to write.
    private bool Take(PresenceFeedSubscription sub, Batch work)
    {
        work.Clear();
        if (sub.ResyncRequired)
        {
            var dropped = sub.Dropped;
            var snapshot = sub.Resync();
            var lost = dropped - Interlocked.Exchange(ref _lostRows, dropped);
            _logger.LogWarning("History writer fell behind: {Dropped} changes were dropped from its queue (their history rows are lost); writing the current state of all {Users} users", lost, snapshot.Users.Count);
            foreach (var user in snapshot.Users)
            {
                foreach (var status in user.Protocols) work.Items.Add(new StoreItem(user, status.Protocol, status, ChangeCause.Restore, user.LastChange, false, null, []));
                // A preferred presence or status message cleared in a dropped change must not come back from its old row.
                foreach (var reserved in ReservedProtocols)
                {
                    if (user.Get(reserved) is null) work.Items.Add(new StoreItem(user, reserved, null, ChangeCause.Restore, user.LastChange, false, null, []));
                }
            }
            work.UpTo = snapshot.Sequence;
            work.Changes = work.Items.Count;
            return true;
        }
        while (work.Changes < _options.BatchSize && sub.TryRead(out var change))
        {
            work.Changes++;
            work.UpTo = change.Sequence;
            if (change.Replicated) continue; // another node committed it
            var status = change.After.Get(change.Protocol);
            if (status is null && !change.Cleared) continue;
            var rows = new List<HistoryRow>();
            if (!change.RefreshOnly) HistoryRows.Add(change, rows);
            // An expiry is conditional in a cluster: every node may decide it, the first commit wins (exactly once).
            long? condition = _cluster.Enabled && change.Cause == ChangeCause.Expiry ? _positions.Known(change.User, change.Protocol) : null;
            work.Items.Add(new StoreItem(change.After, change.Protocol, status, change.Cause, change.At, change.RefreshOnly, condition, rows));
        }
        return work.Changes > 0;
    }

    // Writes one batch in one transaction (retrying through the pipeline when asked), then advances the committed sequence.
    // Takes ownership of store: returns the open store on success, disposes it on failure.
    private async Task<HistoryStore?> CommitAsync(HistoryStore? store, Batch work, bool retry, CancellationToken cancellationToken)
    {
        if (work.Items.Count == 0)
        {
            Advance(work.UpTo); // only changes other nodes committed: nothing to write
            return store;
        }
        var started = Stopwatch.GetTimestamp();
        var state = new CommitState(this, store, work.Items);
        try
        {
            if (retry) await _retry.ExecuteAsync(static (s, ct) => s.AttemptAsync(ct), state, cancellationToken);
            else await state.AttemptAsync(cancellationToken);
        }
        catch (Exception) when (state.Store is not null)
        {
            await state.Store.DisposeAsync(); // stopped before an attempt could use it
            throw;
        }
        PresenceInstruments.HistoryCommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        PresenceInstruments.HistoryBatchSize.Record(work.Changes);
        Interlocked.Increment(ref _batches);
        List<Data.Entities.PresenceLogRow>? superseded = null;
        foreach (var item in work.Items)
        {
            if (item.Superseded is { } newer) (superseded ??= []).Add(newer);
            else Interlocked.Add(ref _rows, item.History.Count);
            if (item.Sequence > 0) _positions.Hold(item.After.User, item.Protocol, item.Sequence);
        }
        _lastCommit = _time.GetUtcNow();
        _lastError = null;
        if (_outage is { } ended)
        {
            _outage = null;
            _logger.LogWarning("The database is available again after {Seconds:0} s ({Cause}); committing the changes held in memory",
                (_time.GetUtcNow() - ended.Since).TotalSeconds, ended.Cause);
        }
        Advance(work.UpTo);
        // An expiry another node committed first (or a refresh that came meanwhile) replaces this node's own decision.
        if (superseded is not null) foreach (var row in superseded) _applier.Apply(row, () => CommittedSequence, own: true);
        return state.Store;
    }

    // One commit attempt; on failure the connection is dropped so the next attempt opens a fresh one.
    private sealed class CommitState(HistoryWriter writer, HistoryStore? store, IReadOnlyList<StoreItem> items)
    {
        public HistoryStore? Store { get; private set; } = store;

        public async ValueTask AttemptAsync(CancellationToken cancellationToken)
        {
            try
            {
                Store ??= await HistoryStore.OpenAsync(await writer._contexts.CreateDbContextAsync(cancellationToken), writer._cluster.Log, cancellationToken);
                await Store.WriteAsync(items, cancellationToken);
            }
            catch (Exception) when (Store is not null)
            {
                await Store.DisposeAsync();
                Store = null;
                throw;
            }
        }
    }

    // Called by the retry pipeline after a failed attempt: records the outage and fails every waiting write.
    private ValueTask OnCommitFailedAsync(Exception ex, TimeSpan retryIn)
    {
        var cause = DatabaseOutage.Describe(ex);
        var first = _outage is null;
        var outage = new DatabaseOutage(_outage?.Since ?? _time.GetUtcNow(), cause, ex.Message, retryIn);
        _lastError = ex.Message;
        List<TaskCompletionSource>? failed = null;
        lock (_gate)
        {
            _outage = outage;
            foreach (var set in _waiters.Values) (failed ??= []).AddRange(set);
            _waiters.Clear();
        }
        if (failed is not null)
        {
            var error = new DatabaseUnavailableException(outage);
            foreach (var t in failed) t.TrySetException(error);
        }
        // The first failure of an outage is logged with its exception, the retries after it in one line each.
        if (first)
            _logger.LogError(ex, "History commit failed: {Cause}; presence stays in memory and the commit is retried in {Delay:0} ms", cause, retryIn.TotalMilliseconds);
        else
            _logger.LogWarning("History commit failed again: {Cause} ({Error}); retrying in {Delay:0} ms", cause, ex.Message, retryIn.TotalMilliseconds);
        return ValueTask.CompletedTask;
    }

    private sealed class Batch(int capacity)
    {
        public List<StoreItem> Items { get; } = new(capacity);
        public int Changes { get; set; }
        public long UpTo { get; set; }

        public void Clear()
        {
            Items.Clear();
            Changes = 0;
            UpTo = 0;
        }
    }

    private void Advance(long sequence)
    {
        List<TaskCompletionSource>? done = null;
        lock (_gate)
        {
            if (sequence > _committed) Interlocked.Exchange(ref _committed, sequence);
            while (_waiters.Count > 0 && _waiters.First() is var (seq, set) && seq <= _committed)
            {
                _waiters.Remove(seq);
                (done ??= []).AddRange(set);
            }
        }
        if (done is not null) foreach (var t in done) t.TrySetResult();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _subscription?.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
