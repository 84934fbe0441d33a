using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.Hosting;

/// <summary>Runs the <see cref="XmppComponent"/> for the host's lifetime when enabled; does nothing when disabled.</summary>
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
        await using var component = new XmppComponent(o, services.GetRequiredService<PresenceTracker>(), services.GetRequiredService<ISubscriberStore>(),
            services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<XmppLinkMonitor>());
        await component.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
