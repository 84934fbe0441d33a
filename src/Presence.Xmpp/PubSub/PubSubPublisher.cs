using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// Publishes the tracker's change feed into the pubpresence node (DESIGN §4). Coalesces per user: at most one
/// pending publish per user, a newer state replaces an unsent one, at most one request per user in flight, and
/// an item equal to the one already in the node is not sent again. Requests are pipelined with a bounded window
/// of outstanding iqs, so a presence burst never grows a queue: the backlog is at most one entry per user.
/// A user without an available resource is retracted (XEP-0060 §7.2, notify). One instance per component;
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
    private readonly object _gate = new();
    private readonly Dictionary<UserId, Entry> _entries = new();
    private readonly Queue<Entry> _ready = new();
    private readonly List<TaskCompletionSource> _idleWaiters = [];
    private IIqRequester? _link;
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
    }

    /// <summary>Creates the publisher.</summary>
    /// <param name="tracker">Source of the change feed.</param>
    /// <param name="node">The node to publish into.</param>
    /// <param name="window">Most outstanding publish/retract iqs (≥ 1).</param>
    /// <param name="timeout">Time a publish may wait for its answer.</param>
    /// <param name="monitor">Link status (node item count).</param>
    /// <param name="logger">Logger.</param>
    public PubSubPublisher(PresenceTracker tracker, PubSubNode node, int window, TimeSpan timeout, XmppLinkMonitor monitor, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _tracker = tracker;
        _node = node;
        _window = window;
        _timeout = timeout;
        _monitor = monitor;
        _logger = logger;
    }

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
            _outstanding = 0;
            _published = 0;
            _ready.Clear();
            foreach (var e in _entries.Values) { e.InNode = null; e.InFlight = false; e.Queued = false; e.Latest = null; }
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
                _session++;
                foreach (var w in _idleWaiters) w.TrySetCanceled();
                _idleWaiters.Clear();
            }
        }
    }

    /// <summary>Completes when nothing is waiting to be published and no request is outstanding.</summary>
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

    private bool IsIdleLocked() => _ready.Count == 0 && _outstanding == 0;

    private void MarkLocked(UserPresence presence)
    {
        if (!_entries.TryGetValue(presence.User, out var entry))
        {
            if (presence.Get(Protocols.Xmpp) is null) return; // never had XMPP presence: nothing to publish or retract
            entry = new Entry(presence.User);
            _entries[presence.User] = entry;
        }
        if (entry.Queued) _coalesced++;
        entry.Latest = presence;
        if (!entry.Queued && !entry.InFlight)
        {
            entry.Queued = true;
            _ready.Enqueue(entry);
        }
    }

    private void PumpLocked()
    {
        var link = _link;
        if (link is null) return;
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
            var session = _session;
            _ = request.ContinueWith(t => OnAnswered(entry, desired, t, session), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
            if (answer.IsCompletedSuccessfully && answer.Result.Type == IqType.Result)
            {
                if (sent is null) { _retracts++; if (entry.InNode is not null) _published--; }
                else { _publishes++; if (entry.InNode is null) _published++; }
                entry.InNode = sent;
            }
            else
            {
                _failures++;
                var why = answer.IsCompletedSuccessfully ? answer.Result.Error?.ToString() : answer.Exception?.GetBaseException().Message;
                if (_failures <= 10 || _failures % 1000 == 0)
                    _logger.LogWarning("{Action} of {User} in pubsub node {Node} failed ({Failures} failures so far): {Error}",
                        sent is null ? "Retract" : "Publish", entry.User, _node.Node, _failures, why);
            }
            var desired = entry.Latest is null ? null : UserItem.From(entry.Latest);
            var settled = desired is null ? entry.InNode is null : desired.SameContent(entry.InNode);
            if (!settled && !entry.Queued && answer.IsCompletedSuccessfully)
            {
                entry.Queued = true;
                _ready.Enqueue(entry);
            }
            _monitor.SetNodeItems(_published);
            PumpLocked();
        }
    }
}
