using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.Hosting;

/// <summary>Registration of the XMPP component in a host (DESIGN §9, section <c>Presence:Xmpp</c>).</summary>
public static class XmppHosting
{
    /// <summary>
    /// Registers <see cref="XmppOptions"/> bound from <c>Presence:Xmpp</c> with validation on start (a bad value stops the
    /// host with a message naming the key), <see cref="IXmppLinkStatus"/> (a singleton <see cref="XmppLinkMonitor"/>), and a
    /// background service that runs the component when <see cref="XmppOptions.Enabled"/> and does nothing otherwise.
    /// The component runs only while this node holds the lease of the <see cref="IComponentLeadership"/> registered
    /// before this call (a <see cref="SingleNodeLeadership"/>, always granted, when none is). The host must register <see cref="PresenceTracker"/> and <see cref="ISubscriberStore"/> (resolved only when enabled).
    /// </summary>
    public static IServiceCollection AddXmppComponent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<XmppOptions>()
            .Bind(configuration.GetSection(XmppOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<XmppOptions>, XmppOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new XmppLinkMonitor(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IXmppLinkStatus>(sp => sp.GetRequiredService<XmppLinkMonitor>());
        services.TryAddSingleton<IComponentLeadership>(_ => new SingleNodeLeadership());
        services.AddHostedService<XmppComponentService>();
        return services;
    }
}

/// <summary>Checks what data annotations cannot: the secret when enabled, positive durations, the JIDs.</summary>
public sealed class XmppOptionsValidator : IValidateOptions<XmppOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, XmppOptions options)
    {
        var errors = new List<string>();
        const string p = XmppOptions.Section + ":";
        if (options.Enabled && string.IsNullOrEmpty(options.Secret))
            errors.Add($"{p}Secret is required when {p}Enabled is true (the server's component_secret, XEP-0114).");
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero) errors.Add($"{p}{key} must be a positive duration (hh:mm:ss), got '{value}'.");
        }
        Positive(options.PingInterval, nameof(options.PingInterval));
        Positive(options.PingTimeout, nameof(options.PingTimeout));
        Positive(options.KeepaliveInterval, nameof(options.KeepaliveInterval));
        Positive(options.KeepaliveTimeout, nameof(options.KeepaliveTimeout));
        Positive(options.ConnectTimeout, nameof(options.ConnectTimeout));
        Positive(options.ReconnectMinDelay, nameof(options.ReconnectMinDelay));
        Positive(options.IqTimeout, nameof(options.IqTimeout));
        Positive(options.RepopulationQuietPeriod, nameof(options.RepopulationQuietPeriod));
        Positive(options.RepopulationMaxWait, nameof(options.RepopulationMaxWait));
        Positive(options.PrivilegeWait, nameof(options.PrivilegeWait));
        Positive(options.SessionAuditInterval, nameof(options.SessionAuditInterval));
        if (options.SessionAuditInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{p}SessionAuditInterval must be at most 00:01:00 (users whose session ended stay published that long on ejabberd), got '{options.SessionAuditInterval}'.");
        if (options.PingTimeout > TimeSpan.Zero && options.PingTimeout >= options.PingInterval)
            errors.Add($"{p}PingTimeout must be shorter than {p}PingInterval.");
        if (options.ReconnectMaxDelay < options.ReconnectMinDelay)
            errors.Add($"{p}ReconnectMaxDelay must not be shorter than {p}ReconnectMinDelay.");
        if (options.NodeMaxItems != "max" && (!int.TryParse(options.NodeMaxItems, out var n) || n < 1))
            errors.Add($"{p}NodeMaxItems must be a positive number or 'max', got '{options.NodeMaxItems}'.");
        if (options.Domain.Contains('@') || options.Domain.Contains('/') || options.Domain.Trim().Length == 0)
            errors.Add($"{p}Domain must be a domain name such as example.com, got '{options.Domain}'.");
        if (!Stanzas.Jid.TryParse(options.EffectiveComponentJid, out var cj) || cj.Local is not null || cj.Resource is not null)
            errors.Add($"{p}ComponentJid must be a domain JID such as pubpresence.example.com, got '{options.EffectiveComponentJid}'.");
        if (!Stanzas.Jid.TryParse(options.EffectivePubSubService, out var ps) || ps.Local is not null || ps.Resource is not null)
            errors.Add($"{p}PubSubService must be a domain JID such as pubsub.example.com, got '{options.EffectivePubSubService}'.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

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
