using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Privilege;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.PubSub;

/// <summary>
/// The node's repopulation on every (re)connect (docs/ARCHITECTURE.md §7) as a module. Before the
/// first stanza is read: service presence unavailable, the users known online await confirmation. Then: ensure,
/// configure and purge the node (XEP-0060 §8), publish from a snapshot and follow the changes (<see cref="PubSubPublisher"/>),
/// decide the presence mode from the server's XEP-0356 advertisement, probe every subscriber (subscription mode) or
/// list the server's online sessions (privileged mode, <see cref="OnlineSessionAudit"/>), wait for what was asked for,
/// drop users nobody confirmed, wait until the node's publishes are acknowledged, then announce available service
/// presence to the subscribers. The wait ends as soon as every probed subscriber answered; otherwise (privileged mode,
/// or a probe nobody answers) once <see cref="XmppOptions.RepopulationQuietPeriod"/> passed without progress — a first
/// presence of a user not heard from since the connect, a probe answer, a user the audit listed — so ordinary traffic of
/// users already heard from never holds it up; and at the latest after <see cref="XmppOptions.RepopulationMaxWait"/>.
/// Times are on the tracker's clock.
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
        var probesSent = tracker.Time.GetTimestamp();
        var audits = Task.CompletedTask;
        var answered = new TaskCompletionSource().Task; // privileged mode: nothing to count, only progress

        if (mode == PresenceMode.Privileged)
        {
            logger.LogInformation("Privileged mode: no probes; the server forwards the current presences ({Count} subscribers kept for the service presence)", known.Count);
            if (await audit.AuditAsync(link, addUnknown: true, collector.Confirm).ConfigureAwait(false))
                audits = Task.Run(() => audit.RunPeriodicAsync(link, token), CancellationToken.None);
        }
        else
        {
            answered = collector.ExpectProbeAnswers(known);
            foreach (var s in known) link.Send(collector.Probe(s).Element);
            logger.LogInformation("Probed {Count} subscribers", known.Count);
        }
        var ended = await WaitForAnswersAsync(probesSent, answered, token).ConfigureAwait(false);
        var dropped = collector.TakeUnanswered();
        foreach (var u in dropped) tracker.Apply(new ResourceUnavailableUpdate(u, null, "", ChangeCause.Restore));
        if (dropped.Count > 0) logger.LogInformation("{Count} users did not answer the probes and were dropped", dropped.Count);
        await publisher.WaitIdleAsync(token).ConfigureAwait(false);
        service.Available = true;
        monitor.SetRepopulating(false);
        foreach (var s in subscribers.Current) link.Send(service.For(s.Value).Element);
        logger.LogInformation("Pubsub node {Node} repopulated with {Items} items in {Seconds:0.00} s ({Ended}); service presence available",
            node.Node, publisher.NodeItems, started.Elapsed.TotalSeconds, ended);
        await publishing.ConfigureAwait(false);
        await audits.ConfigureAwait(false);
    }

    /// <summary>Waits until every probe is answered, no progress came for the quiet period, or the max wait passed; returns which.</summary>
    private async Task<string> WaitForAnswersAsync(long probesSent, Task answered, CancellationToken token)
    {
        var time = tracker.Time;
        var quiet = options.RepopulationQuietPeriod;
        var max = options.RepopulationMaxWait;
        while (true)
        {
            if (answered.IsCompleted) return "every probe answered";
            var now = time.GetTimestamp();
            var sinceProgress = time.GetElapsedTime(Math.Max(collector.LastProgressTimestamp, probesSent), now);
            var total = time.GetElapsedTime(probesSent, now);
            if (total >= max) return $"max wait reached, {collector.UnansweredProbes} probes unanswered";
            if (sinceProgress >= quiet) return $"no new presence for {quiet.TotalSeconds:0.###} s, {collector.UnansweredProbes} probes unanswered";
            var wait = quiet - sinceProgress < max - total ? quiet - sinceProgress : max - total;
            try
            {
                await answered.WaitAsync(wait, time, token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }
}
