using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.AdHoc;
using Presence.Xmpp.Psa;
using Presence.Xmpp.Roster;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;

/// <summary>
/// Turns presence stanzas addressed to the component into tracker updates and subscription handling
/// (RFC 6121 §3, §4): every show, status text and priority of every resource; the subscription
/// handshake (on <c>subscribe</c>: <c>subscribed</c>, <c>subscribe</c> back, own presence; on the user's <c>subscribed</c>: probe);
/// <c>unsubscribe</c>/<c>unsubscribed</c>; probes answered with the service presence; directed presence handled like
/// any other, but only from a subscriber or a user of the server's own domain (anyone else's available or unavailable
/// presence is ignored, so strangers never become tracked users); presence errors <c>remote-server-not-found</c>/<c>-timeout</c> annotate that domain's users.
/// Runs on the read loop: never waits for I/O.
/// </summary>
public sealed class PresenceCollector
{
    private readonly PresenceTracker _tracker;
    private readonly SubscriberRegistry _subscribers;
    private readonly ServicePresence _service;
    private readonly PresenceAnnotator _annotator;
    private readonly SessionDetailsResolver? _details;
    private readonly string _componentJid;
    private readonly ILogger _logger;
    private readonly string? _localDomain;
    private readonly ConcurrentDictionary<string, (UserId User, string? Resource)> _senders = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private HashSet<UserId> _awaiting = [];
    private HashSet<UserId>? _seen;          // users heard from since the repopulation began; null outside one
    private HashSet<UserId> _unansweredProbes = [];
    private TaskCompletionSource _probesAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastProgress;

    /// <summary>Creates the collector.</summary>
    /// <param name="tracker">Where presence updates go.</param>
    /// <param name="subscribers">The component's subscribers; their presence is tracked.</param>
    /// <param name="service">The component's own presence (answers to probes).</param>
    /// <param name="annotator">Annotates users of unreachable domains.</param>
    /// <param name="details">Session details resolver, or <c>null</c>.</param>
    /// <param name="componentJid">The component's JID.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="localDomain">The server's domain (e.g. <c>localhost</c>): its users' presence is tracked even when they are not
    /// subscribers (directed presence); <c>null</c> tracks subscribers only.</param>
    public PresenceCollector(PresenceTracker tracker, SubscriberRegistry subscribers, ServicePresence service, PresenceAnnotator annotator,
        SessionDetailsResolver? details, string componentJid, ILogger logger, string? localDomain = null)
    {
        _localDomain = localDomain;
        _tracker = tracker;
        _subscribers = subscribers;
        _service = service;
        _annotator = annotator;
        _details = details;
        _componentJid = componentJid;
        _logger = logger;
    }

    /// <summary>
    /// The link session's presence mode. In <see cref="Privilege.PresenceMode.Privileged"/> mode the server forwards every
    /// user's presence (XEP-0356 §7): a user who subscribes is approved but never asked to subscribe back, and nobody is probed.
    /// </summary>
    public Privilege.PresenceMode Mode { get; set; }

    /// <summary>
    /// <see cref="TimeProvider.GetTimestamp"/> (of the tracker's clock) of the repopulation's last progress: the first
    /// presence of a user not heard from since it began, or an answer to one of its probes. Presences of users already
    /// heard from (ordinary traffic) are no progress.
    /// </summary>
    public long LastProgressTimestamp => Interlocked.Read(ref _lastProgress);

    /// <summary>Starts a repopulation: <paramref name="awaiting"/> are the users whose presence must be confirmed by a probe answer.</summary>
    public void BeginRepopulation(IEnumerable<UserId> awaiting)
    {
        lock (_gate)
        {
            _awaiting = [.. awaiting];
            _seen = [];
            _unansweredProbes = [];
            _probesAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        Interlocked.Exchange(ref _lastProgress, _tracker.Time.GetTimestamp());
    }

    /// <summary>
    /// Records the subscribers about to be probed (RFC 6121 §4.3: the server answers each probe with the user's
    /// presence, <c>unavailable</c>, <c>unsubscribed</c> or an error) and returns a task that completes once each of them
    /// answered (at once when none is left, e.g. all were heard from already). Call before sending the probes.
    /// </summary>
    public Task ExpectProbeAnswers(IEnumerable<UserId> probed)
    {
        lock (_gate)
        {
            _unansweredProbes = [.. probed.Where(u => _seen?.Contains(u) != true)];
            if (_unansweredProbes.Count == 0) _probesAnswered.TrySetResult();
            return _probesAnswered.Task;
        }
    }

    /// <summary>Probed subscribers that have not answered yet (0 outside a repopulation).</summary>
    public int UnansweredProbes { get { lock (_gate) return _unansweredProbes.Count; } }

    /// <summary>Ends a repopulation: the users that sent no presence since it began (excluding unreachable domains).</summary>
    public IReadOnlyList<UserId> TakeUnanswered()
    {
        lock (_gate)
        {
            var result = _awaiting.Where(u => !_annotator.IsUnreachable(u.Domain)).ToList();
            _awaiting = [];
            _seen = null;
            _unansweredProbes = [];
            return result;
        }
    }

    /// <summary>Handles one presence stanza.</summary>
    /// <param name="presence">The stanza.</param>
    /// <param name="link">Where answers go.</param>
    public void Handle(PresenceStanza presence, IStanzaSender link)
    {
        if (presence.FromText is not { } fromText || !TryGetSender(fromText, out var user, out var resource)) return;
        switch (presence.Type)
        {
            case PresenceType.Available when !MayTrack(user):
            case PresenceType.Unavailable when !MayTrack(user):
                _logger.LogDebug("Ignoring {Type} presence from {From}: neither a subscriber nor a user of {Domain}", presence.TypeText ?? "available", fromText, _localDomain);
                break;
            // An answer counts for the repopulation only once it is applied: counting it first could end the
            // repopulation (and publish, or drop the unanswered) before the tracker holds what it said.
            case PresenceType.Available:
                ReachableAgain(user, link);
                _tracker.Apply(new ResourceAvailableUpdate(user, resource ?? "", presence.Show, presence.Priority, presence.Status));
                _details?.OnAvailable(user, resource ?? "");
                Answered(user);
                break;
            case PresenceType.Unavailable:
                ReachableAgain(user, link);
                _tracker.Apply(new ResourceUnavailableUpdate(user, resource, presence.Status));
                _details?.OnUnavailable(user, resource);
                Answered(user);
                break;
            case PresenceType.Subscribe:
                if (_subscribers.Add(user)) _logger.LogInformation("{User} subscribed to the component", user);
                var bare = user.Value;
                link.Send(PresenceStanza.Build(_componentJid, bare, PresenceType.Subscribed).Element);
                // Privileged: the server forwards the user's presence anyway; no subscription request to the user.
                if (Mode != Privilege.PresenceMode.Privileged) link.Send(PresenceStanza.Build(_componentJid, bare, PresenceType.Subscribe).Element);
                link.Send(_service.For(bare).Element);
                // No probe yet: until the user approves our subscribe, the server answers a probe with
                // 'unsubscribed' on the user's behalf (RFC 6121 §4.3.2), which would end the subscription.
                break;
            case PresenceType.Subscribed:
                _subscribers.Add(user);
                if (Mode != Privilege.PresenceMode.Privileged) link.Send(PresenceStanza.Build(_componentJid, user.Value, PresenceType.Probe).Element);
                break;
            case PresenceType.Unsubscribe:
            case PresenceType.Unsubscribed:
                Heard(user); // also the server's answer to a probe of a user who no longer shares presence (RFC 6121 §4.3.2)
                _logger.LogInformation("{User} ended the subscription ({Type})", user, presence.TypeText);
                _subscribers.Remove(user);
                if (presence.Type == PresenceType.Unsubscribe)
                    link.Send(PresenceStanza.Build(_componentJid, user.Value, PresenceType.Unsubscribed).Element);
                if (Mode == Privilege.PresenceMode.Privileged) break; // the server still forwards the user's presence
                _tracker.Apply(new ResourceUnavailableUpdate(user, null));
                _details?.OnUnavailable(user, null);
                break;
            case PresenceType.Probe:
                link.Send(_service.For(fromText).Element);
                break;
            case PresenceType.Error:
                HandleError(presence, user); // annotates the user's domain (kept, not dropped) before the answer counts
                Heard(user);
                break;
        }
    }

    private bool MayTrack(UserId user) =>
        _subscribers.Contains(user) || (_localDomain is not null && string.Equals(user.Domain, _localDomain, StringComparison.OrdinalIgnoreCase));

    /// <summary>The probe the component sends a subscriber (RFC 6121 §4.3).</summary>
    public PresenceStanza Probe(UserId user) => PresenceStanza.Build(_componentJid, user.Value, PresenceType.Probe);

    private void HandleError(PresenceStanza presence, UserId user)
    {
        var error = presence.Error;
        if (error?.Condition is "remote-server-not-found" or "remote-server-timeout")
        {
            var n = _annotator.AnnotateDomain(user.Domain, error.Condition);
            _logger.LogWarning("Presence error {Condition} for {User}: {Count} users of {Domain} annotated server-unavailable", error.Condition, user, n, user.Domain);
            lock (_gate) _awaiting.Remove(user);
            return;
        }
        _logger.LogDebug("Presence error from {User}: {Error}", user, error);
    }

    private void ReachableAgain(UserId user, IStanzaSender link)
    {
        if (!_annotator.DomainReachable(user.Domain)) return;
        _logger.LogInformation("Presence from {Domain} arrived again; probing its other users", user.Domain);
        foreach (var u in _tracker.Snapshot().Users)
        {
            if (u.User.Domain == user.Domain && u.User != user && u.Get(Protocols.Xmpp) is { Annotation.Kind: AnnotationKind.ServerUnavailable })
                link.Send(Probe(u.User).Element);
        }
    }

    /// <summary>Counts <paramref name="user"/> as online for the repopulation, as if their presence had arrived.</summary>
    public void Confirm(UserId user) => Answered(user);

    private void Answered(UserId user)
    {
        lock (_gate)
        {
            _awaiting.Remove(user);
            HeardLocked(user);
        }
    }

    private void Heard(UserId user)
    {
        lock (_gate) HeardLocked(user);
    }

    private void HeardLocked(UserId user)
    {
        if (_seen is null || !_seen.Add(user)) return; // no repopulation, or ordinary traffic of a user heard from already
        Interlocked.Exchange(ref _lastProgress, _tracker.Time.GetTimestamp());
        if (_unansweredProbes.Remove(user) && _unansweredProbes.Count == 0) _probesAnswered.TrySetResult();
    }

    // Parsing and normalising the sender (IDN mapping) per stanza is costly: senders are cached by their full JID text.
    private bool TryGetSender(string fromText, out UserId user, out string? resource)
    {
        if (_senders.TryGetValue(fromText, out var cached))
        {
            (user, resource) = cached;
            return true;
        }
        user = null!;
        resource = null;
        if (!Jid.TryParse(fromText, out var from) || from.Local is null) return false; // a server or component: nothing to track
        if (!UserId.TryParse(from.Local + "@" + from.Domain, out var parsed, out var error))
        {
            _logger.LogDebug("Ignoring presence from '{From}': {Error}", fromText, error);
            return false;
        }
        if (_senders.Count > 200_000) _senders.Clear();
        _senders[fromText] = (parsed, from.Resource);
        (user, resource) = (parsed, from.Resource);
        return true;
    }
}
