using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Ping;
using Presence.Xmpp.Privilege;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Component;

/// <summary>
/// One online link session (DESIGN §4 "on every (re)connect"): the read loop dispatching stanzas, the keepalive
/// pings to the server, and the repopulation — ensure, configure and purge the node, publish from a snapshot, decide
/// the presence mode from the server's XEP-0356 advertisement, probe every subscriber (subscription mode only), wait for the answers to settle, drop users who did not answer, wait until the node's publishes
/// are acknowledged, then announce available service presence. The pinger, publisher and session-details resolver
/// run beside it. Ends when the link fails (rethrown) or when cancelled (clean close).
/// </summary>
internal sealed class ComponentSession(XmppComponent component, ComponentConnection connection, IqRouter router, ILogger logger)
{
    private readonly XmppOptions _options = component.Options;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closed);
        var token = session.Token;
        // Before the first stanza is read: the server forwards current presences right after the handshake (XEP-0356).
        component.Privilege.Reset();
        component.Service.Available = false;
        component.Monitor.SetRepopulating(true);
        var awaiting = component.Tracker.Snapshot().Users.Where(u => u.Get(Protocols.Xmpp) is { Resources.IsEmpty: false }).Select(u => u.User);
        component.Collector.BeginRepopulation(awaiting);
        var read = Task.Run(() => ReadLoopAsync(), CancellationToken.None);
        var keepalive = Task.Run(() => KeepaliveAsync(token), CancellationToken.None);
        var background = new List<Task>
        {
            Task.Run(() => RepopulateAsync(token), CancellationToken.None),
            Task.Run(() => component.Pinger.RunSessionAsync(connection, token), CancellationToken.None),
        };
        if (component.Details is { } details) background.Add(Task.Run(() => details.RunSessionAsync(connection, token), CancellationToken.None));
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var ended = await Task.WhenAny(read, keepalive, cancelled).ConfigureAwait(false);
        // A stop also cancels the keepalive (linked token), which may complete first: a stop is a stop.
        if (cancellationToken.IsCancellationRequested) ended = cancelled;
        if (ended == cancelled)
        {
            logger.LogInformation("Closing the XMPP stream");
            await connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        else if (ended == read && read.Exception?.GetBaseException() is XmppProtocolException protocol)
        {
            connection.Send(new StreamError("not-well-formed", protocol.Message).ToElement());
            await connection.CloseAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        session.Cancel();
        await connection.DisposeAsync().ConfigureAwait(false);
        foreach (var t in background.Append(read).Append(keepalive))
        {
            try { await t.ConfigureAwait(false); }
            catch (Exception) when (t == read || t == keepalive) { } // the reason is rethrown below
            catch (Exception ex) when (ex is OperationCanceledException or XmppLinkLostException) { }
            catch (Exception ex) { logger.LogWarning(ex, "A component session task failed"); }
        }
        if (ended != cancelled) await ended.ConfigureAwait(false); // rethrows the reason the link ended
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var element = await connection.ReadStanzaAsync().ConfigureAwait(false);
            try
            {
                switch (element.Name.LocalName)
                {
                    case "presence":
                        component.Collector.Handle(new PresenceStanza(element), connection);
                        break;
                    case "message":
                        if (PrivilegeAdvertisement.TryRead(element, _options.Domain, out var advertisement)) component.Privilege.OnAdvertisement(advertisement);
                        break;
                    case "iq":
                        var iq = new IqStanza(element);
                        if (iq.Type is IqType.Result or IqType.Error)
                        {
                            if (!connection.CompleteRequest(iq)) logger.LogDebug("Unmatched iq answer {Id} from {From}", iq.Id, iq.FromText);
                        }
                        else
                        {
                            AnswerRequest(iq);
                        }
                        break;
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not handle a stanza from {From}", (string?)element.Attribute("from"));
            }
        }
    }

    /// <summary>
    /// Answers a request (get/set) through the router. A request without <c>from</c> is not answered (there is no one
    /// to address the answer to); a handler that throws gets <c>internal-server-error</c>/<c>wait</c> (RFC 6120 §8.2.3:
    /// every get/set is answered).
    /// </summary>
    private void AnswerRequest(IqStanza iq)
    {
        if (string.IsNullOrEmpty(iq.FromText))
        {
            logger.LogDebug("Ignoring iq request {Id} without from", iq.Id);
            return;
        }
        IqStanza answer;
        try
        {
            answer = router.Answer(iq);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Answering iq {Id} from {From} failed; replying internal-server-error", iq.Id, iq.FromText);
            answer = iq.ErrorFor("internal-server-error", "wait");
        }
        connection.Send(answer.Element);
    }

    private async Task KeepaliveAsync(CancellationToken token)
    {
        while (true)
        {
            await Task.Delay(_options.KeepaliveInterval, token).ConfigureAwait(false);
            try
            {
                await connection.RequestAsync(IqType.Get, _options.Domain, PingHandler.Payload(), _options.KeepaliveTimeout).ConfigureAwait(false);
            }
            catch (XmppIqTimeoutException)
            {
                throw new XmppLinkLostException($"The server did not answer a keepalive ping within {_options.KeepaliveTimeout.TotalSeconds:0.#} s.");
            }
        }
    }

    private async Task RepopulateAsync(CancellationToken token)
    {
        var started = Stopwatch.StartNew();
        try
        {
            await component.Node.EnsureConfiguredAndPurgedAsync(connection, _options.IqTimeout, logger).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppIqErrorException or XmppIqTimeoutException)
        {
            logger.LogError("Could not prepare pubsub node {Node} on {Service}: {Error}. Is the component a server admin allowed to create nodes?",
                component.Node.Node, component.Node.Service, ex.Message);
            component.Monitor.SetError($"pubsub node {component.Node.Node}: {ex.Message}");
        }
        var publishing = Task.Run(() => component.Publisher.RunSessionAsync(connection, token), CancellationToken.None);
        IReadOnlyCollection<UserId> subscribers;
        try
        {
            subscribers = await component.Subscribers.LoadAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not load the component's subscribers; probing the ones known in memory");
            subscribers = component.Subscribers.Current;
        }
        var mode = await component.Privilege.DecideAsync(_options.PrivilegeWait, token).ConfigureAwait(false);
        var probesSent = Environment.TickCount64;
        Task audits = Task.CompletedTask;
        if (mode == PresenceMode.Privileged)
        {
            logger.LogInformation("Privileged mode: no probes; the server forwards the current presences ({Count} subscribers kept for the service presence)", subscribers.Count);
            if (await component.Audit.AuditAsync(connection, addUnknown: true, component.Collector.Confirm).ConfigureAwait(false))
                audits = Task.Run(() => component.Audit.RunPeriodicAsync(connection, token), CancellationToken.None);
        }
        else
        {
            foreach (var s in subscribers) connection.Send(component.Collector.Probe(s).Element);
            logger.LogInformation("Probed {Count} subscribers", subscribers.Count);
        }
        await WaitForQuietAsync(probesSent, token).ConfigureAwait(false);
        var dropped = component.Collector.TakeUnanswered();
        foreach (var u in dropped) component.Tracker.Apply(new ResourceUnavailableUpdate(u, null, "", ChangeCause.Restore));
        if (dropped.Count > 0) logger.LogInformation("{Count} users did not answer the probes and were dropped", dropped.Count);
        await component.Publisher.WaitIdleAsync(token).ConfigureAwait(false);
        component.Service.Available = true;
        component.Monitor.SetRepopulating(false);
        foreach (var s in component.Subscribers.Current) connection.Send(component.Service.For(s.Value).Element);
        logger.LogInformation("Pubsub node {Node} repopulated with {Items} items in {Seconds:0.00} s; service presence available",
            component.Node.Node, component.Publisher.NodeItems, started.Elapsed.TotalSeconds);
        await publishing.ConfigureAwait(false);
        await audits.ConfigureAwait(false);
    }

    private async Task WaitForQuietAsync(long probesSent, CancellationToken token)
    {
        var quiet = (long)_options.RepopulationQuietPeriod.TotalMilliseconds;
        var deadline = probesSent + (long)_options.RepopulationMaxWait.TotalMilliseconds;
        while (true)
        {
            var now = Environment.TickCount64;
            var last = Math.Max(component.Collector.LastPresenceTicks, probesSent);
            if (now - last >= quiet || now >= deadline) return;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, quiet - (now - last))), token).ConfigureAwait(false);
        }
    }
}
