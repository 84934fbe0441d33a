using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Presence.Domain.Spreed;
using Presence.Domain.Tracking;
using Presence.Web.Configuration;
using Presence.Xmpp.Component;

namespace Presence.Web.Hosting;

/// <summary>Registers the domain's singletons: clock, tracker, spreed expiry and the ends of statuses users set (docs/ARCHITECTURE.md §3, §5).</summary>
internal static class TrackingRegistration
{
    /// <summary>
    /// Adds <see cref="TimeProvider.System"/> (unless a test registered another), the <see cref="PresenceTracker"/> and
    /// the <see cref="SpreedExpiryScheduler"/> (<c>Presence:Spreed</c>; annotations from the component JID) and the
    /// <see cref="StatusDeadlineScheduler"/> (ends of preferred presences and status messages).
    /// </summary>
    public static IServiceCollection AddPresenceTracking(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PresenceTracker(sp.GetRequiredService<TimeProvider>(), new PresenceLimits(
            sp.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxResourcesPerUser,
            sp.GetRequiredService<IOptions<ApiOptions>>().Value.MaxMessageLength))
        {
            // In a cluster, refreshes go into the change log too: every node's expiry deadlines move with them.
            EmitRefreshes = sp.GetRequiredService<Cluster.ClusterMode>().Enabled,
        });
        services.AddSingleton(sp =>
        {
            var spreed = sp.GetRequiredService<IOptions<SpreedOptions>>().Value;
            var xmpp = sp.GetRequiredService<IOptions<XmppOptions>>().Value;
            return new SpreedExpiryScheduler(sp.GetRequiredService<PresenceTracker>(), spreed.PausedAfter, spreed.AutoUnavailable, xmpp.EffectiveComponentJid);
        });
        services.AddSingleton(sp => new StatusDeadlineScheduler(sp.GetRequiredService<PresenceTracker>()));
        return services;
    }
}
