using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Privilege;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// The node's repopulation on every (re)connect (DESIGN §4, seed 000 "Presence responses") as a module. Before the
/// first stanza is read: service presence unavailable, the users known online await confirmation. Then: ensure,
/// configure and purge the node (XEP-0060 §8), publish from a snapshot and follow the changes (<see cref="PubSubPublisher"/>),
/// decide the presence mode from the server's XEP-0356 advertisement, probe every subscriber (subscription mode) or
/// list the server's online sessions (privileged mode, <see cref="OnlineSessionAudit"/>), wait until presences settle,
/// drop users nobody confirmed, wait until the node's publishes are acknowledged, then announce available service
/// presence to the subscribers.
/// </summary>
internal sealed class RepopulationModule(
    XmppOptions options,
    PresenceTracker tracker,
    XmppLinkMonitor monitor,
    ServicePresence service,
    PresenceCollector collector,
    SubscriberRegistry subscribers,
    PubSubNode node,
    PubSubPublisher publisher,
    PrivilegeNegotiation privilege,
    OnlineSessionAudit audit,
    ILogger logger) : IComponentModule
{
    /// <inheritdoc />
    public void Register(ModuleRegistry registry) => registry.Connected(RunSessionAsync);

    private Task RunSessionAsync(IComponentLink link, CancellationToken token)
    {
        // Synchronous part, before the first stanza: the server forwards current presences right after the handshake.
        service.Available = false;
        monitor.SetRepopulating(true);
        collector.BeginRepopulation(tracker.Snapshot().Users.Where(u => u.Get(Protocols.Xmpp) is { Resources.IsEmpty: false }).Select(u => u.User));
        return Task.Run(() => RepopulateAsync(link, token), CancellationToken.None);
    }

    private async Task RepopulateAsync(IComponentLink link, CancellationToken token)
    {
        var started = Stopwatch.StartNew();
        // The wait for the server's permission advertisement runs while the node is prepared.
        var deciding = privilege.DecideAsync(options.PrivilegeWait, token);
        try
        {
            await node.EnsureConfiguredAndPurgedAsync(link, options.IqTimeout, logger).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is XmppIqErrorException or XmppIqTimeoutException)
        {
            logger.LogError("Could not prepare pubsub node {Node} on {Service}: {Error}. Is the component a server admin allowed to create nodes?",
                node.Node, node.Service, ex.Message);
            monitor.SetError($"pubsub node {node.Node}: {ex.Message}");
        }
        var publishing = Task.Run(() => publisher.RunSessionAsync(link, token), CancellationToken.None);
        IReadOnlyCollection<UserId> known;
        try
        {
            known = await subscribers.LoadAsync(token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not load the component's subscribers; probing the ones known in memory");
            known = subscribers.Current;
        }
        var mode = await deciding.ConfigureAwait(false);
        var probesSent = Environment.TickCount64;
        var audits = Task.CompletedTask;
        if (mode == PresenceMode.Privileged)
        {
            logger.LogInformation("Privileged mode: no probes; the server forwards the current presences ({Count} subscribers kept for the service presence)", known.Count);
            if (await audit.AuditAsync(link, addUnknown: true, collector.Confirm).ConfigureAwait(false))
                audits = Task.Run(() => audit.RunPeriodicAsync(link, token), CancellationToken.None);
        }
        else
        {
            foreach (var s in known) link.Send(collector.Probe(s).Element);
            logger.LogInformation("Probed {Count} subscribers", known.Count);
        }
        await WaitForQuietAsync(probesSent, token).ConfigureAwait(false);
        var dropped = collector.TakeUnanswered();
        foreach (var u in dropped) tracker.Apply(new ResourceUnavailableUpdate(u, null, "", ChangeCause.Restore));
        if (dropped.Count > 0) logger.LogInformation("{Count} users did not answer the probes and were dropped", dropped.Count);
        await publisher.WaitIdleAsync(token).ConfigureAwait(false);
        service.Available = true;
        monitor.SetRepopulating(false);
        foreach (var s in subscribers.Current) link.Send(service.For(s.Value).Element);
        logger.LogInformation("Pubsub node {Node} repopulated with {Items} items in {Seconds:0.00} s; service presence available",
            node.Node, publisher.NodeItems, started.Elapsed.TotalSeconds);
        await publishing.ConfigureAwait(false);
        await audits.ConfigureAwait(false);
    }

    private async Task WaitForQuietAsync(long probesSent, CancellationToken token)
    {
        var quiet = (long)options.RepopulationQuietPeriod.TotalMilliseconds;
        var deadline = probesSent + (long)options.RepopulationMaxWait.TotalMilliseconds;
        while (true)
        {
            var now = Environment.TickCount64;
            var last = Math.Max(collector.LastPresenceTicks, probesSent);
            if (now - last >= quiet || now >= deadline) return;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, quiet - (now - last))), token).ConfigureAwait(false);
        }
    }
}
