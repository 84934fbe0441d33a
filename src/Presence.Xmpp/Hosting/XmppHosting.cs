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
        // One line per bad key: a JID derived from a bad Domain is not reported again (Domain's line covers it).
        var domainValid = DomainName.IsValid(options.Domain, out var domainWhy);
        if (!domainValid)
            errors.Add($"{p}Domain must be a domain name such as example.com (RFC 7622 §3.2); '{options.Domain}' is not: {domainWhy}.");
        if ((domainValid || !string.IsNullOrWhiteSpace(options.ComponentJid)) && !DomainName.IsValid(options.EffectiveComponentJid, out var componentWhy))
            errors.Add($"{p}ComponentJid must be a domain JID such as pubpresence.example.com; '{options.EffectiveComponentJid}' is not: {componentWhy}.");
        if ((domainValid || !string.IsNullOrWhiteSpace(options.PubSubService)) && !DomainName.IsValid(options.EffectivePubSubService, out var pubSubWhy))
            errors.Add($"{p}PubSubService must be a domain JID such as pubsub.example.com; '{options.EffectivePubSubService}' is not: {pubSubWhy}.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>
/// The domain part of a JID as a configuration value: a host name (RFC 7622 §3.2), IDN allowed, made of labels of
/// letters, digits and hyphens (the STD3 rules of RFC 5891 §5.4), or an IP literal; no whitespace, <c>@</c> or <c>/</c>.
/// </summary>
public static class DomainName
{
    private static readonly System.Globalization.IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>Whether <paramref name="text"/> is a domain name usable as a server or component JID.</summary>
    /// <param name="text">The configured value.</param>
    /// <param name="why">When invalid, what is wrong, in words.</param>
    public static bool IsValid(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? why)
    {
        why = null;
        if (string.IsNullOrWhiteSpace(text)) { why = "it is empty"; return false; }
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) { why = "it contains a space or other whitespace"; return false; }
            if (char.IsControl(c)) { why = "it contains a control character"; return false; }
            if (c == '@') { why = "it contains '@': a user's JID, not a domain"; return false; }
            if (c == '/') { why = "it contains '/': a resource, not a domain"; return false; }
        }
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            if (System.Net.IPAddress.TryParse(text[1..^1], out _)) return true;
            why = "it is not a valid IPv6 literal";
            return false;
        }
        var name = text.EndsWith('.') ? text[..^1] : text; // RFC 7622 §3.2: a trailing dot is stripped
        try
        {
            var ascii = Idn.GetAscii(name);
            if (ascii.Length > 253) { why = "it is longer than 253 characters"; return false; }
            return true;
        }
        catch (ArgumentException)
        {
            why = "an empty label, a label over 63 characters, or a character other than letters, digits, '-' and '.'";
            return false;
        }
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
