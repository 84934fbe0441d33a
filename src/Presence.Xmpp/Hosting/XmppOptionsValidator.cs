using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;

namespace Presence.Xmpp.Hosting;

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
