using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;

namespace Presence.Web.Api;

/// <summary>
/// The XMPP component's link (XEP-0114): healthy when online, when the component is disabled, or on standby (another
/// node of the cluster holds the component, as it should); degraded otherwise.
/// </summary>
internal sealed class XmppLinkHealthCheck(IServiceProvider services, IOptions<XmppOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var link = services.GetService<IXmppLinkStatus>()?.Current;
        if (link is null || (!options.Value.Enabled && link.State == XmppLinkState.Disconnected))
        {
            return Task.FromResult(HealthCheckResult.Healthy("component not enabled"));
        }
        var data = new Dictionary<string, object> { ["state"] = link.State.ToString(), ["since"] = link.Since, ["reconnects"] = link.Reconnects };
        if (link.State == XmppLinkState.Standby) return Task.FromResult(HealthCheckResult.Healthy("standby: another node holds the XMPP component", data));
        return Task.FromResult(link.State == XmppLinkState.Online
            ? HealthCheckResult.Healthy("online", data)
            : HealthCheckResult.Degraded($"link {link.State} since {link.Since:O}", data: data));
    }
}
