using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.Hosting;

/// <summary>
/// Runs the <see cref="XmppComponent"/> for the host's lifetime when enabled, while this node holds the component's
/// lease (<see cref="IComponentLeadership"/>); does nothing when disabled. Without the lease the link is
/// <see cref="XmppLinkState.Standby"/>. Once acquired, the component runs until the host stops — then it closes the
/// stream cleanly and releases the lease at once, so another node takes over — or until the lease is lost: then it
/// closes the socket at once (another node may hold the lease already, and two links must never run), releases the
/// lease and goes back to standby.
/// </summary>
public sealed class XmppComponentService(IServiceProvider services, IOptions<XmppOptions> options, ILogger<XmppComponentService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            logger.LogInformation("The XMPP component is disabled (Presence:Xmpp:Enabled is false)");
            return;
        }
        var monitor = services.GetRequiredService<XmppLinkMonitor>();
        var leadership = services.GetRequiredService<IComponentLeadership>();
        await using var component = new XmppComponent(o, services.GetRequiredService<PresenceTracker>(), services.GetRequiredService<ISubscriberStore>(),
            services.GetRequiredService<ILoggerFactory>(), monitor) { AnnotateOnAbort = !leadership.SharesState };
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var acquiring = leadership.AcquireAsync(stoppingToken);
                if (!acquiring.IsCompleted)
                {
                    monitor.SetState(XmppLinkState.Standby);
                    logger.LogInformation("Node {Node} is on standby for the XMPP component {Jid}: another node holds it", leadership.NodeName, o.EffectiveComponentJid);
                    if (!leadership.SharesState)
                    {
                        var n = component.AnnotateNotConnected("This node is on standby: another node holds the XMPP link");
                        if (n > 0) logger.LogInformation("{Count} XMPP statuses annotated server-unavailable while on standby", n);
                    }
                }
                IComponentLease lease;
                try
                {
                    lease = await acquiring.ConfigureAwait(false);
                    failures = 0;
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    // IComponentLeadership retries its own failures; anything else is waited out here, never a crash.
                    var delay = Resilience.Backoff.Delay(o.ReconnectMinDelay, o.ReconnectMaxDelay, failures++);
                    logger.LogError(ex, "Taking the XMPP component's lease failed; trying again in {Delay:0.0} s", delay.TotalSeconds);
                    monitor.SetState(XmppLinkState.Standby, $"Taking the component's lease failed: {ex.Message}");
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                    continue;
                }
                await RunHoldingAsync(component, lease, leadership.NodeName, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        monitor.SetState(XmppLinkState.Disconnected);
    }

    private async Task RunHoldingAsync(XmppComponent component, IComponentLease lease, string node, CancellationToken stoppingToken)
    {
        var lost = lease.Lost;
        try
        {
            logger.LogInformation("Node {Node} holds the XMPP component {Jid}; connecting", node, options.Value.EffectiveComponentJid);
            await component.RunAsync(stoppingToken, lost).ConfigureAwait(false);
        }
        finally
        {
            try { await lease.DisposeAsync().ConfigureAwait(false); }
            catch (Exception ex) { logger.LogWarning(ex, "Releasing the XMPP component's lease failed"); }
        }
        if (lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            logger.LogWarning("Node {Node} lost the XMPP component's lease: the link was closed at once and the node is on standby", node);
        else
            logger.LogInformation("Node {Node} stopped the XMPP component and released its lease", node);
    }
}
