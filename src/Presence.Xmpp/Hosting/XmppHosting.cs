using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.Hosting;

/// <summary>Registration of the XMPP component in a host (docs/ARCHITECTURE.md §11, section <c>Presence:Xmpp</c>).</summary>
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
