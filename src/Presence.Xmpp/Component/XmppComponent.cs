using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.AdHoc;
using Presence.Xmpp.Disco;
using Presence.Xmpp.Ping;
using Presence.Xmpp.Privilege;
using Presence.Xmpp.Roster;
using Presence.Xmpp.Psa;
using Presence.Xmpp.PubSub;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Component;

/// <summary>
/// The pubpresence external component (docs/ARCHITECTURE.md §7): keeps a XEP-0114 link to the server, collects users'
/// presence into the <see cref="PresenceTracker"/>, republishes it into the pubsub node and annotates stale state
/// (XEP-0310). Its protocol parts are modules (one per XEP) in a <see cref="ModuleRegistry"/>; a
/// <see cref="ComponentSession"/> routes the stream's stanzas to them. <see cref="RunAsync(CancellationToken)"/> connects, runs a session
/// until the link is lost, annotates every XMPP status <c>server-unavailable</c>, waits with capped exponential backoff
/// and jitter (a Polly.Core retry pipeline, <see cref="Resilience.Backoff"/>), and reconnects — until cancelled, when it
/// closes the stream cleanly and does not reconnect. Usable without the web host (tests, benchmarks).
/// </summary>
public sealed class XmppComponent : IAsyncDisposable
{
    private readonly XmppOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggers;
    private readonly Polly.ResiliencePipeline _reconnect;
    private int _running;
    private int _quickConflictRetries;
    private readonly PubSubPublisher _publisher;

    /// <summary>Creates the component; nothing happens until <see cref="RunAsync(CancellationToken)"/>.</summary>
    /// <param name="options">Configuration (<see cref="XmppOptions.Secret"/> required).</param>
    /// <param name="tracker">The presence authority (fed and followed).</param>
    /// <param name="subscribers">Persistent subscriber list.</param>
    /// <param name="loggers">Logger factory, or <c>null</c> for none.</param>
    /// <param name="monitor">Link status to update, or <c>null</c> for a new one.</param>
    /// <param name="reverseDns">Reverse DNS, or <c>null</c> for the system resolver with a cache.</param>
    /// <param name="time">Clock of the reconnect delays and the subscriber store retries, <see cref="TimeProvider.System"/> when <c>null</c>.</param>
    /// <exception cref="ArgumentException">No secret configured.</exception>
    public XmppComponent(XmppOptions options, PresenceTracker tracker, ISubscriberStore subscribers, ILoggerFactory? loggers = null,
        XmppLinkMonitor? monitor = null, IReverseDnsResolver? reverseDns = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Secret)) throw new ArgumentException("Presence:Xmpp:Secret is required to run the component.", nameof(options));
        _options = options;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<XmppComponent>();
        Monitor = monitor ?? new XmppLinkMonitor(tracker.Time);
        _reconnect = Resilience.Backoff.Build(options.ReconnectMinDelay, options.ReconnectMaxDelay, time ?? TimeProvider.System, jitter: true, onRetry: OnRetryAsync,
            delayFor: QuickConflictDelay);
        var jid = options.EffectiveComponentJid;
        Annotator = new PresenceAnnotator(tracker, jid);
        Service = new ServicePresence(jid);
        Subscribers = new SubscriberRegistry(subscribers, _loggers.CreateLogger<SubscriberRegistry>(), time);
        var node = new PubSubNode(options.EffectivePubSubService, options.Node, options.NodeMaxItems);
        var publisher = _publisher = new PubSubPublisher(tracker, node, options.PublishWindow, options.IqTimeout, Monitor, _loggers.CreateLogger<PubSubPublisher>());
        var details = options.SessionDetails
            ? new SessionDetailsResolver(tracker, reverseDns ?? new CachingReverseDns(options.ReverseDnsTimeout, TimeSpan.FromMinutes(10)),
                options.Domain, options.IqTimeout, TimeSpan.FromMilliseconds(200), _loggers.CreateLogger<SessionDetailsResolver>())
            : null;
        var collector = new PresenceCollector(tracker, Subscribers, Service, Annotator, details, jid, _loggers.CreateLogger<PresenceCollector>(), options.Domain);
        var audit = new OnlineSessionAudit(tracker, details, options.Domain, options.SessionAuditInterval, options.IqTimeout, _loggers.CreateLogger<OnlineSessionAudit>());
        var privilege = new PrivilegeNegotiation(_loggers.CreateLogger<PrivilegeNegotiation>());
        privilege.ModeChanged += mode =>
        {
            collector.Mode = mode;
            Monitor.SetPresenceMode(mode);
        };
        var pinger = new ResourcePinger(tracker, Annotator, options.PingInterval, options.PingTimeout, _loggers.CreateLogger<ResourcePinger>());

        // One module per protocol; the session routes stanzas to what they registered. Connect hooks run in this order.
        Registry.Add(new DiscoModule("Presence (pubpresence)"));
        Registry.Add(new PsaModule());
        Registry.Add(new SubscriptionModule(collector));
        Registry.Add(new PrivilegeModule(privilege, options.Domain));
        Registry.Add(new RepopulationModule(options, tracker, Monitor, Service, collector, Subscribers, node, publisher, privilege, audit,
            _loggers.CreateLogger<RepopulationModule>()));
        Registry.Add(new PingModule(options.Domain, options.KeepaliveInterval, options.KeepaliveTimeout, pinger));
        if (details is not null) Registry.Add(new AdHocModule(details));
    }

    /// <summary>
    /// How many refusals with the stream error <c>conflict</c> after each start of <see cref="RunAsync(CancellationToken, CancellationToken)"/>
    /// are retried quickly (at most <see cref="QuickConflictRetryCap"/> apart) instead of with the exponential backoff: 20.
    /// A server accepts one connection per component JID and refuses another with <c>conflict</c> (RFC 6120 §4.9.3.3)
    /// until it has noticed that the previous one — a node that died holding the link, or this process's last run — is
    /// gone; a new holder must connect as soon as it has, not up to <see cref="XmppOptions.ReconnectMaxDelay"/> later.
    /// </summary>
    public const int QuickConflictRetries = 20;

    /// <summary>Longest wait before a quick retry after <c>conflict</c> (see <see cref="QuickConflictRetries"/>): 1 s; the first waits at most 250 ms.</summary>
    public static readonly TimeSpan QuickConflictRetryCap = TimeSpan.FromSeconds(1);

    /// <summary>The options in use.</summary>
    public XmppOptions Options => _options;

    /// <summary>The observable link status (state, counters, node items, presence mode).</summary>
    public XmppLinkMonitor Monitor { get; }

    /// <summary>Pubsub counters since start: acknowledged publishes and retracts, failed requests, states coalesced before sending.</summary>
    public (long Publishes, long Retracts, long Failures, long Coalesced) PubSubCounters => _publisher.Counters;

    /// <summary>Completes when every presence change so far is published and acknowledged (during a link session; benchmarks).</summary>
    /// <exception cref="OperationCanceledException">The session ended or <paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task WaitPublishedAsync(CancellationToken cancellationToken) => _publisher.WaitIdleAsync(cancellationToken);

    /// <summary>The component's modules and what they registered (tests add or remove modules before running).</summary>
    internal ModuleRegistry Registry { get; } = new();

    /// <summary>The component's annotations.</summary>
    internal PresenceAnnotator Annotator { get; }

    /// <summary>The service presence (available once the node is up to date).</summary>
    internal ServicePresence Service { get; }

    /// <summary>The subscribers.</summary>
    internal SubscriberRegistry Subscribers { get; }

    /// <summary>
    /// Runs the component until <paramref name="cancellationToken"/> is cancelled: restored XMPP statuses are annotated
    /// <c>server-unavailable</c> until the link is up; then connect, session, backoff, reconnect. Never throws for
    /// link or server errors (they are logged with the server's text and retried).
    /// </summary>
    /// <exception cref="InvalidOperationException">Already running.</exception>
    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, CancellationToken.None);

    /// <summary>
    /// Like <see cref="RunAsync(CancellationToken)"/>, and <paramref name="abort"/> stops the component too but without
    /// the clean close: the socket is closed at once, without waiting for the server (the node lost its right to the
    /// link and another node may be taking it over). May run again after it returned (each run starts a new
    /// allowance of <see cref="QuickConflictRetries"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops the component, closing the stream cleanly (RFC 6120 §4.4, at most 2 s).</param>
    /// <param name="abort">Stops the component, closing the socket at once.</param>
    /// <exception cref="InvalidOperationException">Already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken abort)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("The component is already running.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort);
        Volatile.Write(ref _quickConflictRetries, QuickConflictRetries);
        cancellationToken = stop.Token;
        try
        {
            var n = Annotator.AnnotateAll("Not connected to the XMPP server yet", ChangeCause.LinkLoss);
            if (n > 0) _logger.LogInformation("{Count} restored XMPP statuses annotated server-unavailable until the link is up", n);
            var first = true;
            var afterLoss = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    // One execution per streak of failures: a session that got through the handshake ends it, so the
                    // next streak starts from the initial delay (the pipeline's attempt count is reset).
                    await _reconnect.ExecuteAsync(async token =>
                    {
                        if (afterLoss)
                        {
                            afterLoss = false;
                            throw new ReconnectAfterLoss(); // the first reconnect after a lost link waits the initial delay
                        }
                        var reconnect = !first;
                        first = false;
                        await ConnectAndRunSessionAsync(reconnect, token, abort).ConfigureAwait(false);
                    }, cancellationToken).ConfigureAwait(false);
                    afterLoss = true;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            Monitor.SetState(XmppLinkState.Disconnected);
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Connects and runs one session. A failure before the handshake is accepted is rethrown (the pipeline retries it);
    /// a session that ends after it returns normally. Either way the statuses are annotated and the link reset.
    /// </summary>
    private async Task ConnectAndRunSessionAsync(bool reconnect, CancellationToken cancellationToken, CancellationToken abort)
    {
        Monitor.SetState(XmppLinkState.Connecting);
        if (reconnect) Monitor.CountReconnect();
        ComponentConnection? connection = null;
        var connected = false;
        try
        {
            connection = await ComponentConnection.ConnectAsync(_options.Host, _options.Port, _options.EffectiveComponentJid, _options.Secret!,
                _options.ConnectTimeout, new XmlStreamLimits(_options.MaxStanzaBytes) { MaxQueuedStanzas = _options.OutboundQueueCapacity, MaxQueuedBytes = _options.OutboundQueueBytes }, Monitor, _loggers.CreateLogger<ComponentConnection>(), cancellationToken).ConfigureAwait(false);
            connected = true;
            // The node is stale until the repopulation (a connect hook of the session) has run: say so before Online,
            // so that nobody watching the link sees "online and up to date" in between.
            Monitor.SetRepopulating(true);
            Monitor.SetState(XmppLinkState.Online);
            _logger.LogInformation("Component {Jid} connected to {Host}:{Port}", _options.EffectiveComponentJid, _options.Host, _options.Port);
            var session = new ComponentSession(connection, Registry, _loggers.CreateLogger<ComponentSession>());
            await session.RunAsync(cancellationToken, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A connection dropped on purpose (e.g. the server stopped reading) says why, whatever the session saw.
            var text = connection?.DropReason ?? Describe(ex);
            _logger.LogWarning("XMPP component link to {Host}:{Port}: {Error}", _options.Host, _options.Port, text);
            Monitor.SetError(text);
            if (!connected)
            {
                await EndSessionAsync(connection, cancellationToken, abort).ConfigureAwait(false);
                throw;
            }
        }
        await EndSessionAsync(connection, cancellationToken, abort).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task EndSessionAsync(ComponentConnection? connection, CancellationToken cancellationToken, CancellationToken abort)
    {
        if (connection is not null)
        {
            try { await connection.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) { _logger.LogWarning(ex, "Disposing the XMPP connection failed"); }
        }
        Service.Available = false;
        Monitor.SetRepopulating(false);
        if (abort.IsCancellationRequested && !AnnotateOnAbort) return; // the next holder's presence reaches this node through the shared log
        var reason = abort.IsCancellationRequested ? "This node gave up the XMPP link (another node takes it over)"
            : cancellationToken.IsCancellationRequested ? "The component stopped" : "The link to the XMPP server was lost";
        var changed = Annotator.AnnotateAll(reason, ChangeCause.LinkLoss);
        if (changed > 0) _logger.LogInformation("{Count} XMPP statuses annotated server-unavailable", changed);
    }

    private ValueTask OnRetryAsync(Exception? failure, TimeSpan delay, int attempt)
    {
        Monitor.SetState(XmppLinkState.Backoff);
        _logger.LogInformation("Reconnecting in {Delay:0.0} s (attempt {Attempt})", delay.TotalSeconds, attempt);
        return default;
    }

    /// <summary>A quick delay for one of the first <see cref="QuickConflictRetries"/> refusals with <c>conflict</c> of a run, else <c>null</c> (the exponential one).</summary>
    private TimeSpan? QuickConflictDelay(Exception? failure, int attempt)
    {
        if (failure is not XmppStreamErrorException { Error.Condition: "conflict" }) return null;
        if (Interlocked.Decrement(ref _quickConflictRetries) < 0) return null;
        var cap = QuickConflictRetryCap < _options.ReconnectMaxDelay ? QuickConflictRetryCap : _options.ReconnectMaxDelay;
        var initial = TimeSpan.FromTicks(Math.Min(Math.Min(TimeSpan.FromMilliseconds(250).Ticks, _options.ReconnectMinDelay.Ticks), cap.Ticks));
        return Resilience.Backoff.Delay(initial, cap, attempt, jitter: true);
    }

    /// <summary>
    /// Whether giving the link up because the lease was lost (the <c>abort</c> token of <see cref="RunAsync(CancellationToken, CancellationToken)"/>) annotates
    /// every XMPP status <c>server-unavailable</c> (default). Off when the nodes share presence through a change log.
    /// </summary>
    public bool AnnotateOnAbort { get; init; } = true;

    /// <summary>Annotates every XMPP status <c>server-unavailable</c> with <paramref name="reason"/> (e.g. while the node is on standby).</summary>
    /// <returns>How many statuses changed.</returns>
    internal int AnnotateNotConnected(string reason) => Annotator.AnnotateAll(reason, ChangeCause.LinkLoss);

    /// <summary>Flushes the subscriber list's queued writes and stops its writer (call after <see cref="RunAsync(CancellationToken)"/> ended).</summary>
    public ValueTask DisposeAsync() => Subscribers.DisposeAsync();

    /// <summary>Marks the start of a reconnect streak after a session that had got through the handshake.</summary>
    private sealed class ReconnectAfterLoss : Exception;

    private static string Describe(Exception ex) => ex switch
    {
        XmppStreamErrorException s => $"the server sent the stream error '{s.Error.Condition}'" + (s.Error.Text is null ? "" : $": {s.Error.Text}")
                                      + (s.Error.Condition == "not-authorized" ? " (is Presence:Xmpp:Secret the server's component_secret?)" : "")
                                      + (s.Error.Condition == "conflict" ? " (the server still holds another connection of this component: another node, or a previous link it has not seen close yet)" : ""),
        System.Net.Sockets.SocketException so => $"cannot connect: {so.Message}",
        _ => ex.Message,
    };
}
