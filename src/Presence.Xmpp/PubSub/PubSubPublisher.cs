using Microsoft.Extensions.Logging;
using Polly;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Resilience;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// Publishes the tracker's change feed into the pubpresence node (docs/ARCHITECTURE.md §7). Coalesces per user: at most one
/// pending publish per user, a newer state replaces an unsent one, at most one request per user in flight, and
/// an item equal to the one already in the node is not sent again. Requests are pipelined with a bounded window
/// of outstanding iqs, so a presence burst never grows a queue: the backlog is at most one entry per user.
/// A user without an available resource is retracted (XEP-0060 §7.2, notify); a retract answered
/// <c>item-not-found</c> counts as done. An error answer or a timeout is not retried at once: that user is retried by a
/// Polly.Core retry pipeline (<see cref="Backoff"/>, no jitter) after a backoff of 1 s doubling to 60 s (each retry sends the user's latest state, through
/// the same window; a success or a new session resets it; the end of the session stops it), and the error is logged
/// once per user until a request for that user succeeds. A user retracted with nothing newer is forgotten. One instance per component;
/// <see cref="RunSessionAsync"/> runs once per link session after the node was purged.
/// </summary>
public sealed class PubSubPublisher
{
    private readonly PresenceTracker _tracker;
    private readonly PubSubNode _node;
    private readonly int _window;
    private readonly TimeSpan _timeout;
    private readonly XmppLinkMonitor _monitor;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly KeyValuePair<string, object?> _nodeTag;
    private CancellationToken _sessionToken;
    private readonly object _gate = new();
    private readonly Dictionary<UserId, Entry> _entries = new();
    private readonly Queue<Entry> _ready = new();
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private IIqRequester? _link;
    private PresenceFeedSubscription? _feed;
    private long _session;
    private int _outstanding;
    private int _published;
    private long _publishes;
    private long _retracts;
    private long _failures;
    private long _coalesced;

    private sealed class Entry(UserId user)
    {
        public readonly UserId User = user;
        public UserPresence? Latest;
        public UserItem? InNode;
        public bool Queued;
        public bool InFlight;
        public Task? Retrying;                       // a retry streak runs (Polly waits or an attempt is out)
        public TaskCompletionSource<bool>? Attempt;  // the current retry attempt's outcome
        public bool ErrorLogged;
    }

    /// <summary>First delay before retrying a user whose publish or retract failed; each delay is drawn at random from
    /// [d/2, d] (<see cref="Backoff.Delay"/>) so that users failing together (a node gone, a busy pubsub service) do not
    /// retry in step.</summary>
    public static readonly TimeSpan MinRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Largest delay before retrying a user whose publish or retract failed (the delay doubles up to it).</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    /// <summary>Creates the publisher.</summary>
    /// <param name="tracker">Source of the change feed.</param>
    /// <param name="node">The node to publish into.</param>
    /// <param name="window">Most outstanding publish/retract iqs (≥ 1).</param>
    /// <param name="timeout">Time a publish may wait for its answer.</param>
    /// <param name="monitor">Link status (node item count).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="time">Clock for the retry backoff; <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    public PubSubPublisher(PresenceTracker tracker, PubSubNode node, int window, TimeSpan timeout, XmppLinkMonitor monitor, ILogger logger, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _tracker = tracker;
        _node = node;
        _window = window;
        _timeout = timeout;
        _monitor = monitor;
        _logger = logger;
        _nodeTag = new("node", node.Node);
        _retry = Backoff.Build(MinRetryDelay, MaxRetryDelay, _time, jitter: true, shouldRetry: static e => e is PublishFailedException);
    }

    /// <summary>A publish or retract of one user failed (error answer or timeout): the retry pipeline waits and tries again.</summary>
    private sealed class PublishFailedException : Exception;

    /// <summary>Items currently in the node (one per online user) as far as acknowledged.</summary>
    public int NodeItems { get { lock (_gate) return _published; } }

    /// <summary>Counters: acknowledged publishes, acknowledged retracts, failed requests, states replaced before being sent.</summary>
    public (long Publishes, long Retracts, long Failures, long Coalesced) Counters
    {
        get { lock (_gate) return (_publishes, _retracts, _failures, _coalesced); }
    }

    /// <summary>
    /// Publishes every online user from a fresh snapshot (the node was just purged), then follows the change feed
    /// until <paramref name="cancellationToken"/> is cancelled (the link session ended).
    /// </summary>
    /// <param name="link">The session's requester.</param>
    /// <param name="cancellationToken">End of the session.</param>
    public async Task RunSessionAsync(IIqRequester link, CancellationToken cancellationToken)
    {
        var (feed, snapshot) = _tracker.Subscribe("pubsub", 65_536);
        using var _ = feed;
        lock (_gate)
        {
            _session++;
            _link = link;
            _feed = feed;
            _sessionToken = cancellationToken;
            _outstanding = 0;
            _published = 0;
            _ready.Clear();
            foreach (var e in _entries.Values)
            {
                e.InNode = null; e.InFlight = false; e.Queued = false; e.Latest = null;
                e.Attempt?.TrySetCanceled(); e.Attempt = null; e.Retrying = null; // the old session's streak ends with its token
            }
            foreach (var u in snapshot.Users) MarkLocked(u);
            PumpLocked();
        }
        try
        {
            while (await feed.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (feed.ResyncRequired)
                    {
                        _logger.LogWarning("The pubsub publisher fell behind the presence feed; republishing from a snapshot");
                        foreach (var u in feed.Resync().Users) MarkLocked(u);
                    }
                    while (feed.TryRead(out var change))
                    {
                        if (change.Protocol == Protocols.Xmpp) MarkLocked(change.After);
                    }
                    PumpLocked();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
            {
                _link = null;
                _feed = null;
                _session++;
                foreach (var w in _idleWaiters) w.TrySetCanceled();
                _idleWaiters.Clear();
            }
        }
    }

    /// <summary>Completes when the feed is drained, nothing is waiting to be published and no request is outstanding (during a session).</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (IsIdleLocked()) return Task.CompletedTask;
            var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _idleWaiters.Add(tcs);
            return tcs.Task.WaitAsync(cancellationToken);
        }
    }

    private bool IsIdleLocked() => _ready.Count == 0 && _outstanding == 0 && _feed is { Pending: 0, ResyncRequired: false };

    private void MarkLocked(UserPresence presence)
    {
        if (!_entries.TryGetValue(presence.User, out var entry))
        {
            if (presence.Get(Protocols.Xmpp) is null) return; // never had XMPP presence: nothing to publish or retract
            entry = new Entry(presence.User);
            _entries[presence.User] = entry;
        }
        if (entry.Queued)
        {
            _coalesced++;
            XmppMetrics.PubSubCoalesced.Add(1, _nodeTag);
        }
        entry.Latest = presence;
        if (!entry.Queued && !entry.InFlight && entry.Retrying is null)
        {
            entry.Queued = true;
            _ready.Enqueue(entry);
        }
    }

    private void PumpLocked()
    {
        var link = _link;
        if (link is null || _sessionToken.IsCancellationRequested) return; // no session, or it is ending: send nothing
        while (_outstanding < _window && _ready.TryDequeue(out var entry))
        {
            entry.Queued = false;
            var desired = entry.Latest is null ? null : UserItem.From(entry.Latest);
            if (desired is null ? entry.InNode is null : desired.SameContent(entry.InNode))
            {
                if (desired is null && entry.InNode is null) _entries.Remove(entry.User);
                continue;
            }
            entry.InFlight = true;
            _outstanding++;
            var payload = desired is null ? _node.RetractPayload(entry.User.Value) : _node.PublishPayload(desired);
            var request = link.RequestAsync(IqType.Set, _node.Service, payload, _timeout);
            XmppMetrics.PubSubPublishes.Add(1, _nodeTag, new KeyValuePair<string, object?>("action", desired is null ? "retract" : "publish"));
            var session = _session;
            _ = request.ContinueWith(t => OnAnswered(entry, desired, t, session), CancellationToken.None,
                TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default);
        }
        if (IsIdleLocked() && _idleWaiters.Count > 0)
        {
            foreach (var w in _idleWaiters) w.TrySetResult();
            _idleWaiters.Clear();
        }
    }

    private void OnAnswered(Entry entry, UserItem? sent, Task<IqStanza> answer, long session)
    {
        lock (_gate)
        {
            if (session != _session) return; // a previous link session; the node was purged since
            _outstanding--;
            entry.InFlight = false;
            var notFound = sent is null && answer.IsCompletedSuccessfully && answer.Result.Error?.Condition == "item-not-found";
            var attempt = entry.Attempt;
            entry.Attempt = null;
            if (answer.IsCompletedSuccessfully && answer.Result.Type == IqType.Result || notFound)
            {
                XmppMetrics.PubSubAcknowledgements.Add(1, _nodeTag);
                entry.ErrorLogged = false;
                if (sent is null) { _retracts++; if (entry.InNode is not null) _published--; }
                else { _publishes++; if (entry.InNode is null) _published++; }
                entry.InNode = sent;
                attempt?.TrySetResult(true);
            }
            else
            {
                _failures++;
                var why = answer.IsCompletedSuccessfully ? answer.Result.Error?.ToString() : answer.Exception?.GetBaseException().Message;
                if (!entry.ErrorLogged)
                {
                    entry.ErrorLogged = true;
                    _logger.LogWarning("{Action} of {User} in pubsub node {Node} failed: {Error}; retrying after {Delay:0.#} s, doubling up to {Max:0} s ({Failures} failures so far)",
                        sent is null ? "Retract" : "Publish", entry.User, _node.Node, why, MinRetryDelay.TotalSeconds, MaxRetryDelay.TotalSeconds, _failures);
                }
                else
                {
                    _logger.LogDebug("{Action} of {User} failed again: {Error}", sent is null ? "Retract" : "Publish", entry.User, why);
                }
                // Either wakes the retry streak: its next wait is scheduled inline here, or — when this answer arrived
                // before the attempt awaited it — on the attempt's own thread, so the wait may start just after the error
                // is counted (tests await the timer itself, not the counter).
                if (attempt is not null) attempt.TrySetResult(false);
                else if (!_sessionToken.IsCancellationRequested)
                {
                    var retrying = RetryAsync(entry, session, _sessionToken);
                    if (!retrying.IsCompleted) entry.Retrying = retrying; // completed at once when the session is already over
                }
                XmppMetrics.PubSubErrors.Add(1, _nodeTag);
            }
            if (entry.Retrying is null) SettleLocked(entry);
            _monitor.SetNodeItems(_published);
            PumpLocked();
        }
    }

    /// <summary>After an answer or a retry streak: queue a newer state, or forget a user retracted with nothing newer.</summary>
    private void SettleLocked(Entry entry)
    {
        if (entry.Queued || entry.InFlight) return;
        var desired = entry.Latest is null ? null : UserItem.From(entry.Latest);
        var settled = desired is null ? entry.InNode is null : desired.SameContent(entry.InNode);
        if (!settled)
        {
            entry.Queued = true;
            _ready.Enqueue(entry);
        }
        else if (desired is null)
        {
            _entries.Remove(entry.User); // retracted and nothing newer: forget the user
        }
    }

    /// <summary>
    /// One user's retry streak on the Polly pipeline: wait the backoff, queue the user's latest state (through the
    /// window like any publish), await its answer; until one succeeds, the state is settled, or the session ends.
    /// </summary>
    private async Task RetryAsync(Entry entry, long session, CancellationToken cancellationToken)
    {
        var failedAlready = true; // the request that started the streak failed: the first attempt only waits
        try
        {
            await _retry.ExecuteAsync(async _ =>
            {
                if (failedAlready)
                {
                    failedAlready = false;
                    throw new PublishFailedException();
                }
                Task<bool> answered;
                lock (_gate)
                {
                    if (session != _session) return;
                    var desired = entry.Latest is null ? null : UserItem.From(entry.Latest);
                    if (desired is null ? entry.InNode is null : desired.SameContent(entry.InNode)) return; // nothing to send any more
                    // Continuations inline: the outcome is set under the lock and the pipeline schedules the next delay at once.
                    var attempt = new TaskCompletionSource<bool>();
                    entry.Attempt = attempt;
                    answered = attempt.Task;
                    if (!entry.Queued && !entry.InFlight)
                    {
                        entry.Queued = true;
                        _ready.Enqueue(entry);
                    }
                    PumpLocked();
                }
                if (!await answered.ConfigureAwait(false)) throw new PublishFailedException();
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the link session ended: no retry after an intentional stop; the next session republishes from a snapshot
        }
        finally
        {
            lock (_gate)
            {
                if (session == _session)
                {
                    entry.Retrying = null;
                    if (!cancellationToken.IsCancellationRequested) // a stopped session sends nothing more
                    {
                        SettleLocked(entry);
                        PumpLocked();
                    }
                }
            }
        }
    }

    /// <summary>Users the publisher keeps an entry for (in the node, waiting, or being retried); for tests and diagnostics.</summary>
    public int TrackedUsers { get { lock (_gate) return _entries.Count; } }
}
