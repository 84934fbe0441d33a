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

/// <summary>Registration of the XMPP component in a host (docs/ARCHITECTURE.md §11, section <c>Presence:Xmpp</c>).</summary>
public static class XmppHosting
{
    /// <summary>
    /// Registers <see cref="XmppOptions"/> bound from <c>Presence:Xmpp</c> with validation on start (a bad value stops the
    /// host with a message naming the key), <see cref="IXmppLinkStatus"/> (a singleton <see cref="XmppLinkMonitor"/>), and a
    /// background service that runs the component when <see cref="XmppOptions.Enabled"/> and does nothing otherwise.
    /// The host must register <see cref="PresenceTracker"/> and <see cref="ISubscriberStore"/> (resolved only when enabled).
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
